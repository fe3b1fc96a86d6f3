/**
 * The API's view of every order's state, materialized from the five lifecycle topics: a plain
 * consumer (manual assignment of every partition, no group, nothing committed, read_committed, so
 * aborted and open transactions are never seen) reads them from the beginning and keeps, per
 * order id, the state of its furthest record and that record's bytes (decoded again when asked,
 * which keeps the view small: a few hundred bytes an order).
 *
 * `catchUp()` resolves once every partition has been read to the end it had when the view started;
 * the API answers nothing before that, so an order placed before a restart is known after it.
 * Waiters (`?wait=`) are woken when their order's state moves on.
 */
import { RdKafka } from '@confluentinc/kafka-javascript';
import type { EofEvent, Message } from '@confluentinc/kafka-javascript';
import { OrderflowError, describeError } from '../common/errors.ts';
import type { Admin } from '../common/kafka.ts';
import type { Logger } from '../common/logger.ts';
import type { Decoder } from '../common/serde.ts';
import { kafkaPassthrough } from '../common/settings.ts';
import type { LifecycleStage } from '../schemas/invariants.ts';
import { topicName } from '../schemas/topics.ts';
import type { Order } from '../schemas/types.generated.ts';
import { API_ORDER_ID, orderFingerprint } from './order-request.ts';
import { STATE_OF_STAGE, movesOn, type OrderState } from './order-state.ts';

export const LIFECYCLE_STAGES: readonly LifecycleStage[] = [
  'unpaid',
  'paid',
  'shipped',
  'finished',
  'failed',
];

interface Tracked {
  state: OrderState;
  /** The newest record's value (Confluent-framed Avro). */
  value: Buffer;
  /** For an order placed through the API: what its client chose (orderFingerprint). */
  fingerprint?: string;
}

export interface OrderViewOptions {
  kafkaBootstrap: string;
  topicPrefix: string;
  decoder: Decoder<Order>;
  admin: Admin;
  log: Logger;
  /** How long catching up may take before start-up fails. */
  catchUpTimeoutMs: number;
  onFatal: (error: unknown) => void;
}

export class OrderView {
  private readonly orders = new Map<string, Tracked>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly stageOfTopic = new Map<string, LifecycleStage>();
  private consumer: RdKafka.KafkaConsumer | null = null;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private caughtUp = false;

  constructor(private readonly o: OrderViewOptions) {
    for (const stage of LIFECYCLE_STAGES) this.stageOfTopic.set(topicName(stage, o.topicPrefix), stage);
  }

  get size(): number {
    return this.orders.size;
  }

  get ready(): boolean {
    return this.caughtUp;
  }

  /** Start reading; resolves when every partition is read to the end it had at the start. */
  async catchUp(): Promise<void> {
    const topics = [...this.stageOfTopic.keys()];
    const existing = new Set(await this.o.admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      const flag = this.o.topicPrefix ? ` --topic-prefix ${this.o.topicPrefix}` : '';
      throw new OrderflowError(
        'ORDERFLOW_USAGE',
        `topic${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing on ${this.o.kafkaBootstrap}: create the pipeline topics first (orderflow topics${flag})`,
      );
    }
    const partitions = (await this.o.admin.fetchTopicMetadata({ topics })).flatMap((t) =>
      t.partitions.map((p) => ({ topic: t.name, partition: p.partitionId })),
    );
    const consumer = new RdKafka.KafkaConsumer(
      {
        'bootstrap.servers': this.o.kafkaBootstrap,
        'group.id': `${this.o.topicPrefix}orderflow-api-view`,
        'client.id': `${this.o.topicPrefix}orderflow-api-view`,
        'enable.auto.commit': false,
        'enable.partition.eof': true,
        'isolation.level': 'read_committed',
        'fetch.wait.max.ms': 100,
        ...kafkaPassthrough(),
      },
      { 'auto.offset.reset': 'earliest' },
    );
    this.consumer = consumer;
    const deadline = Date.now() + this.o.catchUpTimeoutMs;
    const remaining = () => Math.max(1000, deadline - Date.now());
    await new Promise<void>((resolve, reject) =>
      consumer.connect({ timeout: remaining() }, (error) =>
        error ? reject(this.unavailable('connecting', error)) : resolve(),
      ),
    );

    // Where each partition ends now: caught up once every one is read that far.
    const behind = new Map<string, number>();
    for (const p of partitions) {
      const { lowOffset, highOffset } = await new Promise<{ lowOffset: number; highOffset: number }>(
        (resolve, reject) =>
          consumer.queryWatermarkOffsets(p.topic, p.partition, Math.min(10_000, remaining()), (error, w) =>
            error ? reject(this.unavailable(`the end of ${p.topic}[${p.partition}]`, error)) : resolve(w),
          ),
      );
      if (highOffset > lowOffset) behind.set(`${p.topic}/${p.partition}`, highOffset);
    }
    const reached = (topic: string, partition: number, offset: number) => {
      const key = `${topic}/${partition}`;
      const end = behind.get(key);
      if (end !== undefined && offset >= end) behind.delete(key);
    };
    consumer.on('partition.eof', (eof: EofEvent) => reached(eof.topic, eof.partition, eof.offset));
    consumer.setDefaultConsumeTimeout(200);
    // -2: each partition's beginning (librdkafka's OFFSET_BEGINNING).
    consumer.assign(partitions.map((p) => ({ ...p, offset: -2 })));

    let resolveCaughtUp!: () => void;
    const caughtUp = new Promise<void>((resolve) => (resolveCaughtUp = resolve));
    const check = () => {
      if (!this.caughtUp && behind.size === 0) {
        this.caughtUp = true;
        this.o.log.info({ orders: this.orders.size, partitions: partitions.length }, 'order view caught up');
        resolveCaughtUp();
      }
    };
    check();
    this.loop = (async () => {
      while (!this.stopping) {
        const batch = await new Promise<Message[]>((resolve, reject) =>
          consumer.consume(1000, (error, got) => (error ? reject(error) : resolve(got))),
        );
        await this.apply(batch);
        for (const m of batch) reached(m.topic, m.partition, m.offset + 1);
        check();
      }
    })().catch((error: unknown) => {
      if (!this.stopping) this.o.onFatal(this.unavailable('reading the lifecycle topics', error));
    });

    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new OrderflowError(
              'ORDERFLOW_BROKER_UNAVAILABLE',
              `the order view did not read the lifecycle topics to their end within ${this.o.catchUpTimeoutMs} ms (${behind.size} partitions behind); is Kafka up? (orderflow stack status)`,
              { retriable: true },
            ),
          ),
        this.o.catchUpTimeoutMs,
      );
    });
    try {
      await Promise.race([caughtUp, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async apply(batch: Message[]): Promise<void> {
    if (batch.length === 0) return;
    await this.o.decoder.prepare(batch.map((m) => asBuffer(m.value)));
    for (const m of batch) {
      const stage = this.stageOfTopic.get(m.topic);
      const key = m.key === null || m.key === undefined ? null : m.key.toString();
      const value = asBuffer(m.value);
      if (!stage || key === null || value === null) continue;
      let order: Order;
      try {
        order = this.o.decoder.decode(value);
      } catch (error) {
        // A poison record: the stage dead-letters it; the view passes over it.
        this.o.log.warn(
          { topic: m.topic, partition: m.partition, offset: m.offset, err: describeError(error) },
          'order view: undecodable record skipped',
        );
        continue;
      }
      this.record(stage, key, value, order);
    }
  }

  /** Take in one lifecycle record (from the topics, or the API's own write once committed). */
  record(stage: LifecycleStage, orderId: string, value: Buffer, order: Order): void {
    const state = STATE_OF_STAGE[stage];
    const current = this.orders.get(orderId);
    if (!movesOn(current?.state, state)) return;
    const fingerprint =
      current?.fingerprint ?? (API_ORDER_ID.test(orderId) ? orderFingerprint(order) : undefined);
    this.orders.set(orderId, { state, value, fingerprint });
    const waiting = this.waiters.get(orderId);
    if (waiting) {
      this.waiters.delete(orderId);
      for (const wake of waiting) wake();
    }
  }

  /**
   * Take in the API's own committed write at once, before its record comes back from Kafka, then
   * make the writer's schema id known to the decoder so the order decodes when asked (if the
   * registry does not answer now, the state is known anyway and the consumer prepares it later).
   */
  async recordWritten(orderId: string, value: Buffer, order: Order): Promise<void> {
    this.record('unpaid', orderId, value, order);
    await this.o.decoder.prepare([value]).catch(() => undefined);
  }

  /** The order's state and newest record, or undefined for an id no lifecycle topic holds. */
  get(orderId: string): { state: OrderState; order: Order | null; fingerprint?: string } | undefined {
    const t = this.orders.get(orderId);
    if (!t) return undefined;
    let order: Order | null = null;
    try {
      order = this.o.decoder.decode(t.value);
    } catch {
      // decoded once when it arrived: cannot fail now; answer with the state alone if it does
    }
    return { state: t.state, order, fingerprint: t.fingerprint };
  }

  /**
   * Resolves when the order's state is no longer `seen`, or after `ms`, or when the view stops,
   * whichever comes first; `cancel` (the client went away) resolves it at once.
   */
  waitForChange(orderId: string, seen: OrderState, ms: number, cancel: AbortSignal): Promise<void> {
    if (this.orders.get(orderId)?.state !== seen || ms <= 0 || this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const set = this.waiters.get(orderId) ?? new Set<() => void>();
      this.waiters.set(orderId, set);
      const done = () => {
        clearTimeout(timer);
        cancel.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0 && this.waiters.get(orderId) === set) this.waiters.delete(orderId);
        resolve();
      };
      const timer = setTimeout(done, ms);
      cancel.addEventListener('abort', done);
      set.add(done);
    });
  }

  async close(): Promise<void> {
    this.stopping = true;
    for (const set of [...this.waiters.values()]) for (const wake of [...set]) wake();
    await this.loop?.catch(() => undefined);
    const consumer = this.consumer;
    this.consumer = null;
    if (consumer) await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }

  private unavailable(what: string, error: unknown): OrderflowError {
    return new OrderflowError(
      'ORDERFLOW_BROKER_UNAVAILABLE',
      `order view: ${what} on ${this.o.kafkaBootstrap} failed: ${describeError(error)}`,
      { cause: error, retriable: true },
    );
  }
}

const asBuffer = (v: unknown): Buffer | null =>
  v === null || v === undefined ? null : Buffer.isBuffer(v) ? v : Buffer.from(String(v));
