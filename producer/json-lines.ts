/**
 * Dry-run output: one order per line as JSON, decimals as strings (as they already are), every
 * timestamp as ISO 8601 UTC. No Kafka, no registry.
 */
import type { Writable } from 'node:stream';
import type { Order } from '../schemas/types.generated.ts';

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

/** The order as a JSON line (with the trailing newline). */
export function toJsonLine(order: Order): string {
  const p = order.payment_info;
  const s = order.shipping_info;
  return (
    JSON.stringify({
      ...order,
      order_date: iso(order.order_date),
      payment_info: { ...p, payment_date: iso(p.payment_date) },
      shipping_info: {
        ...s,
        shipped_date: iso(s.shipped_date),
        eta: iso(s.eta),
        finished_date: iso(s.finished_date),
      },
      failure: order.failure && { ...order.failure, failed_at: iso(order.failure.failed_at) },
    }) + '\n'
  );
}

/** Buffers lines into large writes and respects the stream's back-pressure. */
export class JsonLinesSink {
  private buffer = '';
  written = 0;

  constructor(
    private readonly out: Writable,
    private readonly chunkChars = 1 << 20,
  ) {}

  write(order: Order): Promise<void> | undefined {
    this.buffer += toJsonLine(order);
    this.written++;
    if (this.buffer.length >= this.chunkChars) return this.drain();
    return undefined;
  }

  async flush(): Promise<void> {
    await this.drain();
  }

  private async drain(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer;
    this.buffer = '';
    if (this.out.destroyed) return; // the reader went away; the command stops
    if (this.out.write(chunk)) return;
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error): void => {
        this.out.off('drain', onDrain);
        this.out.off('close', onDrain);
        this.out.off('error', done);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = (): void => done();
      this.out.once('drain', onDrain);
      this.out.once('close', onDrain);
      this.out.once('error', done);
    });
  }
}
