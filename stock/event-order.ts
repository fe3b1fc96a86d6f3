/**
 * The order the stock service applies lifecycle records in (pure): event time, whatever order the
 * partitions of paid_orders, finished_orders and failed_orders arrive in.
 *
 * Stock is a running balance: whether a paid order's units are on the shelf depends on every
 * payment, delivery, cancellation and restock before it. Applied in arrival order, the balance
 * depends on how fast each partition is read: in `orderflow run` the payment stage writes the whole
 * two-year paid history before the delivery stage has written much, so the service reserved two
 * years of orders before it consumed one, and the shelf looked empty (fill rate 88% instead of 99%).
 *
 * So records are buffered and applied in event-time order (ties by topic, then order id), up to a
 * watermark: the event time no record still to come can be earlier than. Each input is split into
 * streams that are written in order_date order by one stage from one input partition: paid_orders
 * per partition, finished_orders per partition and channel (the delivery stage writes online
 * orders, the payment stage store orders paid at the till, far ahead of the deliveries),
 * failed_orders per partition and failing stage (the payment, shipping and delivery stages all
 * write it). A run may have no store orders at all, so a store stream is not waited for: it holds
 * the watermark from its first record on. Every record's event time is at or after its
 * order_date, so a stream's later records are at or after the latest order_date it has shown, and
 * the watermark is the least of those over every stream. A stream that has shown nothing holds the
 * watermark at the start. When no record has arrived for a while and every stream has shown one
 * (the end of a backfill), or for much longer (a stream with no records at all, as in a small
 * test), everything buffered is applied in event-time order (`flush`).
 */
import type { Order } from '../schemas/types.generated.ts';
import type { LifecycleTopic } from './movement.ts';

export interface PendingRecord {
  topic: string;
  partition: number;
  offset: bigint;
  kind: LifecycleTopic;
  /** Event time (UTC ms); -Infinity for an undecodable record (applied at once, as a no-op). */
  at: number;
  /** The decoded order; undefined when the record could not be decoded. */
  order: Order | undefined;
}

const TOPIC_RANK: Record<LifecycleTopic, number> = { paid: 0, finished: 1, failed: 2 };
const FAILING_STAGES = ['payment', 'shipping', 'delivery'] as const;

/** The stream a record belongs to: its topic and partition, and for failed_orders the failing stage. */
export function streamOf(kind: LifecycleTopic, partition: number, order: Order | undefined): string {
  if (!order) return `${kind}:${partition}:undecodable`;
  if (kind === 'failed') return `${kind}:${partition}:${order.failure?.stage ?? 'none'}`;
  if (kind === 'finished' && order.channel === 'store') return `${kind}:${partition}:store`;
  return `${kind}:${partition}`;
}

/** The streams a consumer of these partitions must have heard from before the watermark moves. */
export function expectedStreams(
  partitions: readonly { kind: LifecycleTopic; partition: number }[],
): string[] {
  return partitions.flatMap(({ kind, partition }) =>
    kind === 'failed' ? FAILING_STAGES.map((s) => `${kind}:${partition}:${s}`) : [`${kind}:${partition}`],
  );
}

/** Event-time order of two records: time, then topic (paid before ends), then order id. */
export function compareRecords(a: PendingRecord, b: PendingRecord): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  if (a.kind !== b.kind) return TOPIC_RANK[a.kind] - TOPIC_RANK[b.kind];
  const x = a.order?.order_id ?? '';
  const y = b.order?.order_id ?? '';
  if (x !== y) return x < y ? -1 : 1;
  return a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0;
}

export class EventTimeBuffer {
  private pending: PendingRecord[] = [];
  /** Per stream: the latest order_date seen, a lower bound of its later records' event times. */
  private readonly seen = new Map<string, number>();
  /** Per partition (`topic:partition`): the offset after the last record added. */
  private readonly lastOffset = new Map<string, bigint>();

  /** The store streams of finished_orders heard from: they count in the watermark from then on. */
  private readonly storeStreams = new Set<string>();

  add(r: PendingRecord): void {
    this.pending.push(r);
    if (r.order) {
      const s = streamOf(r.kind, r.partition, r.order);
      this.seen.set(s, Math.max(this.seen.get(s) ?? -Infinity, r.order.order_date));
      if (s.endsWith(':store')) this.storeStreams.add(s);
    }
    this.lastOffset.set(`${r.topic}:${r.partition}`, r.offset + 1n);
  }

  size(): number {
    return this.pending.length;
  }

  /** Whether every one of the `expected` streams has shown a record. */
  heardFrom(expected: readonly string[]): boolean {
    return expected.every((s) => this.seen.has(s));
  }

  /** The event time every record still to come is at or after, given the streams to hear from. */
  watermark(expected: readonly string[]): number {
    if (expected.length === 0) return -Infinity;
    let w = Infinity;
    for (const s of expected) w = Math.min(w, this.seen.get(s) ?? -Infinity);
    for (const s of this.storeStreams) w = Math.min(w, this.seen.get(s)!);
    return w;
  }

  /**
   * Remove and return, in event-time order, the records before the watermark (all of them when
   * `flush`), at most `limit`. Undecodable records always come out (they change nothing).
   */
  take(expected: readonly string[], flush: boolean, limit: number): PendingRecord[] {
    const w = flush ? Infinity : this.watermark(expected);
    const ready: PendingRecord[] = [];
    const rest: PendingRecord[] = [];
    for (const r of this.pending) (r.at < w || flush || !r.order ? ready : rest).push(r);
    ready.sort(compareRecords);
    const out = ready.slice(0, limit);
    this.pending = ready.length > limit ? [...ready.slice(limit), ...rest] : rest;
    return out;
  }

  /**
   * The offset a restart must read a partition from: its lowest record still buffered, else the
   * offset after the last record added (undefined: nothing added for it).
   */
  resumeOffset(topic: string, partition: number): bigint | undefined {
    let low: bigint | undefined;
    for (const r of this.pending)
      if (r.topic === topic && r.partition === partition && (low === undefined || r.offset < low))
        low = r.offset;
    return low ?? this.lastOffset.get(`${topic}:${partition}`);
  }

  /** The offset after the last record added for a partition (undefined: none added). */
  addedUpTo(topic: string, partition: number): bigint | undefined {
    return this.lastOffset.get(`${topic}:${partition}`);
  }
}
