/**
 * The sink of `orderflow generate`: orders go to unpaid_orders in Kafka transactions, each one
 * carrying the run's new committed count to the progress topic (progress.ts). A run killed at any
 * point has committed a prefix of its order sequence and the count of that prefix, nothing else
 * (readers are read_committed), so the same command re-run skips exactly that many orders.
 *
 * The producer's transactional id is the pipeline's (`<prefix>orderflow-generator`): a second
 * generator for the same pipeline fences the first when it connects, the first's open transaction
 * is aborted, and the first stops with ORDERFLOW_GENERATOR_REPLACED at its next commit.
 *
 * Transactions are pipelined with generation: while one commits, the next orders queue; a
 * transaction takes what queued since the last (at most `maxPerTransaction` orders).
 */
import { hostname } from 'node:os';
import { OrderflowError, describeError } from '../common/errors.ts';
import type { Producer } from '../common/kafka.ts';
import type { Encoder } from '../common/serde.ts';
import { abortOpenTransaction, isFenced } from '../runtime/client-errors.ts';
import type { Order } from '../schemas/types.generated.ts';
import { OrderSinkBase, openOrderProducer, type KafkaSinkOptions } from './kafka-sink.ts';
import type { RunProgress } from './progress.ts';

export interface TransactionalSinkOptions extends KafkaSinkOptions {
  transactionalId: string;
  progressTopic: string;
}

/** How long a partly filled transaction may wait for more orders (live mode) before it commits. */
const LINGER_MS = 50;

export class TransactionalOrderSink extends OrderSinkBase<TransactionalSinkOptions> {
  private queue: { key: string; value: Buffer; orderDate: number }[] = [];
  private pumping: Promise<void> | null = null;
  private failure: OrderflowError | null = null;
  private progress: RunProgress | null = null;

  private constructor(
    producer: Producer,
    encoder: Encoder<Order>,
    topic: string,
    options: TransactionalSinkOptions,
    private readonly maxPerTransaction: number,
  ) {
    super(producer, encoder, topic, options);
  }

  /** The run this sink's transactions count for, as committed before this process. */
  resume(progress: RunProgress): void {
    this.progress = progress;
  }

  static async open(options: TransactionalSinkOptions): Promise<TransactionalOrderSink> {
    const { topic, encoder, producer } = await openOrderProducer(options, {
      'transactional.id': options.transactionalId,
      'transaction.timeout.ms': 60_000,
    });
    options.log.info(
      { topic, schemaId: encoder.schemaId, transactionalId: options.transactionalId },
      'producing orders in transactions',
    );
    return new TransactionalOrderSink(
      producer,
      encoder,
      topic,
      options,
      options.batchSize * Math.min(10, options.maxInFlight),
    );
  }

  /** Committed orders of the run, this process's and those before it. */
  get committed(): number {
    return this.progress?.produced ?? 0;
  }

  /** Queue an order; returns a promise only when the caller must wait (two transactions queued). */
  write(order: Order): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    this.queue.push({ ...this.message(order), orderDate: order.order_date });
    if (this.queue.length >= this.maxPerTransaction) this.kick();
    else this.lingerTimer ??= setTimeout(() => this.kick(), LINGER_MS);
    if (this.queue.length >= 2 * this.maxPerTransaction) return this.drain(this.maxPerTransaction);
    return undefined;
  }

  /** Commit what is queued and wait for it. */
  async flush(): Promise<void> {
    await this.drain(0);
  }

  async close(): Promise<void> {
    this.stopLinger();
    await this.pumping?.catch(() => undefined);
    if (this.producer.isActive()) await this.producer.abort().catch(() => undefined);
    await this.producer.disconnect();
  }

  /** Wait until at most `left` orders are queued (0: all committed). */
  private async drain(left: number): Promise<void> {
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.queue.length <= left && (left > 0 || !this.pumping)) return;
      this.kick();
      await this.pumping;
    }
  }

  private kick(): void {
    this.stopLinger();
    if (this.pumping || this.failure) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
    });
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0 && !this.failure) {
      const chunk = this.queue.splice(0, this.maxPerTransaction);
      try {
        await this.commit(chunk);
      } catch (error) {
        this.failure = this.describeFailure(error);
      }
    }
  }

  private async commit(chunk: TransactionalOrderSink['queue']): Promise<void> {
    const last = chunk[chunk.length - 1]!;
    if (!this.progress) throw new Error('TransactionalOrderSink: resume() before the first write');
    const next: RunProgress = {
      ...this.progress,
      produced: this.progress.produced + chunk.length,
      lastOrderId: last.key,
      lastOrderDate: new Date(last.orderDate).toISOString(),
      host: hostname(),
      pid: process.pid,
      updatedAt: new Date().toISOString(),
    };
    const batch = this.options.batchSize;
    const messages: { key: string; value: Buffer }[][] = [];
    for (let i = 0; i < chunk.length; i += batch)
      messages.push(chunk.slice(i, i + batch).map((m) => ({ key: m.key, value: m.value })));
    await this.producer.transaction();
    try {
      await Promise.all(messages.map((m) => this.producer.send({ topic: this.topic, messages: m })));
      await this.producer.send({
        topic: this.options.progressTopic,
        messages: [{ key: next.run, value: JSON.stringify(next) }],
      });
      await this.producer.commit();
    } catch (error) {
      // A fenced producer's sends fail as purged; its abort says why (fenced, a fatal state).
      const abortError = await abortOpenTransaction(this.producer);
      throw isFenced(abortError) ? abortError : error;
    }
    this.progress = next;
    this.acknowledged += chunk.length;
  }

  private describeFailure(error: unknown): OrderflowError {
    if (isFenced(error)) {
      return new OrderflowError(
        'ORDERFLOW_GENERATOR_REPLACED',
        `another generator for this pipeline (transactional id ${this.options.transactionalId}) started and took over; this one stops. ` +
          `Its ${this.committed} committed orders stay in ${this.topic}, each once; the newer generator goes on from there`,
        { cause: error },
      );
    }
    return new OrderflowError(
      'ORDERFLOW_DELIVERY_FAILED',
      `Kafka rejected a transaction of orders for ${this.topic}: ${describeError(error)}. ` +
        `${this.committed} orders of the run are committed; run the same command again to go on from there`,
      { cause: error },
    );
  }
}
