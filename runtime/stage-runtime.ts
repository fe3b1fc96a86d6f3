import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { describeError, OrderflowError } from '../common/errors.ts';
import {
  nextOffset,
  type Consumer,
  type EachBatchPayload,
  type Kafka,
  type Producer,
} from '../common/kafka.ts';
import type { Logger } from '../common/logger.ts';
import { stageMetrics } from '../common/metrics.ts';
import type { Decoder } from '../common/serde.ts';
import { dlqTopic } from '../schemas/topics.ts';
import { Pacer, type PacingOptions } from './pacing.ts';
import { PendingSet, pendingMessage, pendingTombstone, type PendingEntry } from './pending.ts';
import { ensurePendingTopic, readPendingPartition } from './pending-store.ts';
import { processRecord, type RecordProcessing, type RecordResult } from './record.ts';
import type { RecordHandler, SourceRecord } from './types.ts';

export interface StageRuntimeOptions<In> {
  /** Stage name: used in logs, metrics, DLQ headers and the transactional id. */
  stage: string;
  kafka: Kafka;
  /** Consumer group shared by all instances of the stage. */
  groupId: string;
  /** Unique per running instance; stable across restarts of the same instance, so that a restart fences its predecessor at once. */
  instanceId: string;
  inputTopics: string[];
  /** Reader for the input values (prepared per batch, then decoding is synchronous). */
  decoder: Decoder<In>;
  handle: RecordHandler<In>;
  /** Dead-letter topic for an input topic; default `<topic>.dlq`. */
  deadLetterTopic?: (inputTopic: string) => string;
  /** Most records per consumed batch (js.consumer.max.batch.size); one transaction per batch. */
  batchSize?: number;
  /** Live pacing; omit for backfill (never waits). Needs `pendingStore` and exactly one input topic. */
  pacing?: PacingOptions;
  /** Live pacing: where outputs that are not due yet are kept (see pacing.ts). */
  pendingStore?: {
    /** Bootstrap servers, for the plain consumer that restores a pending partition. */
    bootstrap: string;
    /** The compacted pending topic, e.g. pendingTopicName(prefix, stage). */
    topic: string;
    /** Replication factor when the runtime creates the pending topic. */
    replicationFactor: number;
    /** Longest time one restore of a pending partition may take (default 60 s). */
    restoreTimeoutMs?: number;
  };
  /**
   * Exactly-once (default true). false: idempotent producer, offsets stored once the outputs are
   * acknowledged and auto-committed (at-least-once); only for measuring what transactions cost.
   */
  transactional?: boolean;
  /** Extra librdkafka consumer / producer properties (dotted names). */
  consumerConfig?: Record<string, string | number | boolean>;
  producerConfig?: Record<string, string | number | boolean>;
  log: Logger;
  /** Called once when the stage hits an error it must not skip (a bug); the service should exit non-zero. */
  onFatal?: (error: unknown) => void;
}

type TopicMessages = Map<string, KafkaJS.Message[]>;

interface Chunk {
  topicMessages: TopicMessages;
  lastOffset: string | undefined;
  records: number;
  outCounts: Map<string, number>;
  failures: number;
  deadLetters: Map<string, number>;
  origins: number[];
  /** Live pacing: outputs not due yet, written to the pending topic in this chunk's transaction. */
  pending: PendingEntry[];
}

function newChunk(): Chunk {
  return {
    topicMessages: new Map(),
    lastOffset: undefined,
    records: 0,
    outCounts: new Map(),
    failures: 0,
    deadLetters: new Map(),
    origins: [],
    pending: [],
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Most pending outputs released in one transaction. */
const RELEASE_LIMIT = 2000;

/**
 * The exactly-once stage runtime: consume a batch, decode it, run the pure handler on each record,
 * and write the outputs, the dead letters and the consumed offsets in one Kafka transaction.
 *
 * - One transactional producer per instance (transactional.id = `orderflow-<stage>-<instanceId>`);
 *   offsets go through sendOffsets with the consumer's group metadata (KIP-447), so a rebalance or
 *   a zombie instance cannot commit outputs for partitions it no longer owns.
 * - A failed transaction is aborted (or, on a fatal error, the producer is recreated) and the batch
 *   is handed back to the consumer, which seeks to its first record and delivers it again.
 * - Records that cannot be decoded, or whose outputs break their sink's checks, go to the input
 *   topic's dead-letter twin in the same transaction; the partition keeps going.
 * - One partition batch at a time (partitionsConsumedConcurrently 1), and batch and release
 *   transactions take turns (`exclusive`): one open transaction.
 * - No pause() and no waiting in the poll loop: live pacing parks outputs that are not due in a
 *   compacted pending topic and releases them from a timer (see pacing.ts).
 */
export class StageRuntime<In> {
  private readonly stage: string;
  private readonly log: Logger;
  private readonly consumer: Consumer;
  private producer: Producer | undefined;
  private readonly processing: RecordProcessing<In>;
  private readonly pacer: Pacer | undefined;
  private readonly transactional: boolean;
  private readonly transactionalId: string;
  private stopping = false;
  private running = false;
  private batches = 0;
  private processedTotal = 0;
  private lastBatchLog = 0;
  private consecutiveFailures = 0;
  private readonly assigned = new Set<string>();
  /** Serializes the transactions of batches and releases on the one producer. */
  private lock: Promise<void> = Promise.resolve();
  // Live pacing state.
  private readonly pending = new PendingSet();
  private readonly restores = new Map<number, Promise<void>>();
  private readonly epochs = new Map<number, number>();
  /** Input offset last committed per owned partition (re-sent with releases, to fence them). */
  private readonly committedOffsets = new Map<number, string>();
  private releaseTimer: NodeJS.Timeout | undefined;
  private releasing = false;
  private releaseRetryAt = 0;
  private releaseFailures = 0;

  constructor(private readonly options: StageRuntimeOptions<In>) {
    this.stage = options.stage;
    this.log = options.log.child({ stage: options.stage, instance: options.instanceId });
    this.transactional = options.transactional ?? true;
    this.transactionalId = `orderflow-${options.stage}-${options.instanceId}`;
    this.pacer = options.pacing ? new Pacer(options.pacing) : undefined;
    if (this.pacer && (!options.pendingStore || options.inputTopics.length !== 1)) {
      throw new OrderflowError(
        'ORDERFLOW_USAGE',
        `stage ${options.stage}: live pacing needs a pending store and exactly one input topic`,
      );
    }
    this.processing = {
      stage: options.stage,
      decoder: options.decoder,
      handle: options.handle,
      deadLetterTopic: options.deadLetterTopic ?? dlqTopic,
    };
    this.consumer = options.kafka.consumer({
      'group.id': options.groupId,
      // Exactly-once commits offsets inside each transaction; the at-least-once baseline lets the
      // client auto-commit the offsets stored after each acknowledged batch.
      'enable.auto.commit': !(options.transactional ?? true),
      'auto.offset.reset': 'earliest',
      'isolation.level': 'read_committed',
      // Eager assignment: cooperative rebalancing can silently stop this client's consumer (#476).
      'partition.assignment.strategy': 'roundrobin',
      'session.timeout.ms': 10_000,
      'heartbeat.interval.ms': 1_000,
      'js.consumer.max.batch.size': options.batchSize ?? 1000,
      rebalance_cb: (error: { code: number }, assignment: KafkaJS.TopicPartition[]) =>
        this.onRebalance(error, assignment),
      ...options.consumerConfig,
    } as KafkaJS.ConsumerConstructorConfig);
  }

  /** Connect, subscribe and start consuming (returns once the consumer runs). */
  async start(): Promise<void> {
    if (this.pacer) await this.preparePendingTopic();
    this.producer = await this.createProducer();
    try {
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: this.options.inputTopics });
    } catch (error) {
      throw new OrderflowError(
        'ORDERFLOW_BROKER_UNAVAILABLE',
        `stage ${this.stage} could not join its group: ${describeError(error)}`,
        {
          cause: error,
          retriable: true,
        },
      );
    }
    await this.consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.running = true;
    if (this.pacer) {
      this.releaseTimer = setInterval(
        () => this.scheduleRelease(),
        this.pacer.options.releaseIntervalMs ?? 200,
      );
    }
    this.log.info(
      {
        group: this.options.groupId,
        topics: this.options.inputTopics,
        transactionalId: this.transactional ? this.transactionalId : undefined,
        pacing: this.options.pacing,
        pendingTopic: this.pacer ? this.options.pendingStore!.topic : undefined,
      },
      'stage started',
    );
  }

  /** Ready = consuming with at least one partition assigned. */
  get ready(): boolean {
    return this.running && !this.stopping && this.assigned.size > 0;
  }

  /** Live pacing: outputs held in memory, not yet due (0 without pacing). */
  get pendingRecords(): number {
    return this.pending.size;
  }

  /** Input records this instance has committed (outputs or dead letters), since start. */
  get processedRecords(): number {
    return this.processedTotal;
  }

  /** Live pacing: a release transaction is in progress right now. */
  get releaseInProgress(): boolean {
    return this.releasing;
  }

  get assignedPartitions(): string[] {
    return [...this.assigned].sort();
  }

  /**
   * Stop consuming: the batch in progress finishes its current transaction (or hands its records
   * back), an open transaction is aborted, then both clients disconnect.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.releaseTimer) clearInterval(this.releaseTimer);
    // A transaction in progress (batch or release) finishes before the consumer disconnects: its
    // sendOffsets reads the consumer's group metadata, and the native client dereferences a
    // disconnected consumer (a segfault, not an error). Nothing new starts once `stopping` is set.
    await this.exclusive(async () => undefined);
    await this.consumer.disconnect();
    this.running = false;
    const producer = this.producer;
    if (producer) {
      if (producer.isActive())
        await producer
          .abort()
          .catch((error: unknown) => this.log.warn({ err: describeError(error) }, 'abort on stop failed'));
      await producer.disconnect();
    }
    this.log.info('stage stopped');
  }

  private onRebalance(error: { code: number }, assignment: KafkaJS.TopicPartition[]): void {
    // librdkafka: -175 = partitions assigned, -174 = partitions revoked.
    const assigned = error.code === -175;
    for (const tp of assignment) {
      const key = `${tp.topic}[${tp.partition}]`;
      if (this.pacer) {
        if (assigned) this.startRestore(tp.partition);
        else this.forgetPartition(tp.partition);
      }
      if (assigned) this.assigned.add(key);
      else {
        this.assigned.delete(key);
        stageMetrics.consumerLag.remove({
          stage: this.stage,
          topic: tp.topic,
          partition: String(tp.partition),
        });
      }
    }
    this.log.info(
      {
        event: assigned ? 'assigned' : 'revoked',
        partitions: assignment.map((tp) => `${tp.topic}[${tp.partition}]`),
      },
      'rebalance',
    );
  }

  private async createProducer(): Promise<Producer> {
    const producer = this.options.kafka.producer({
      ...(this.transactional
        ? { 'transactional.id': this.transactionalId, 'transaction.timeout.ms': 30_000 }
        : { 'enable.idempotence': true }),
      'linger.ms': 5,
      // Same partition for the same key as Java clients (Connect, ksqlDB).
      partitioner: 'murmur2_random',
      ...this.options.producerConfig,
    } as KafkaJS.ProducerConstructorConfig);
    try {
      await producer.connect();
    } catch (error) {
      throw new OrderflowError(
        'ORDERFLOW_BROKER_UNAVAILABLE',
        `stage ${this.stage}: producer could not connect: ${describeError(error)}`,
        {
          cause: error,
          retriable: true,
        },
      );
    }
    return producer;
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    try {
      await this.processBatch(payload);
      this.consecutiveFailures = 0;
    } catch (error) {
      if (error instanceof OrderflowError && error.retriable) {
        // Back off a little before the consumer delivers the same records again.
        this.consecutiveFailures++;
        const backoff = Math.min(5000, 100 * 2 ** Math.min(this.consecutiveFailures, 6));
        this.log.warn(
          { err: describeError(error), code: error.code, backoff },
          'batch failed; it will be retried',
        );
        await sleep(backoff);
        throw error;
      }
      this.log.fatal({ err: error }, 'stage stopped by an unexpected error');
      this.stopping = true;
      this.options.onFatal?.(error);
      throw error;
    }
  }

  private async processBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const messages = batch.messages;
    if (messages.length === 0) return;
    const started = performance.now();
    const labels = { stage: this.stage };

    try {
      await this.processing.decoder.prepare(messages.map((m) => m.value));
    } catch (error) {
      throw new OrderflowError(
        'ORDERFLOW_REGISTRY_UNAVAILABLE',
        `cannot resolve writer schemas: ${describeError(error)}`,
        {
          cause: error,
          retriable: true,
        },
      );
    }

    if (this.pacer) await this.restored(batch.partition);
    const epoch = this.epochs.get(batch.partition);

    let processed = 0;
    let lastDone: string | undefined;
    // The whole batch is one chunk and one transaction (live pacing parks what is not due).
    if (!this.stopping && payload.isRunning() && !payload.isStale()) {
      const chunk = newChunk();
      for (const m of messages) {
        const source: SourceRecord = {
          topic: batch.topic,
          partition: batch.partition,
          offset: m.offset,
          key: m.key,
          timestamp: m.timestamp,
        };
        const result = processRecord(this.processing, source, m.value, m.headers);
        const due =
          this.pacer && result.kind === 'output' && result.releaseAt !== undefined
            ? this.pacer.dueAt(result.releaseAt)
            : undefined;
        if (due !== undefined && due > Date.now() && result.kind === 'output') {
          this.addPending(chunk, source, result, due);
        } else {
          addToChunk(chunk, result, m.offset);
        }
        if (this.log.isLevelEnabled('debug')) {
          this.log.debug(
            {
              topic: batch.topic,
              partition: batch.partition,
              offset: m.offset,
              result: result.kind,
              code: result.kind === 'dead-letter' ? result.code : undefined,
            },
            'record',
          );
        }
      }

      if (chunk.records > 0) {
        await this.exclusive(() => this.commitChunk(payload, chunk));
        payload.resolveOffset(chunk.lastOffset!);
        lastDone = chunk.lastOffset;
        processed += chunk.records;
        this.processedTotal += chunk.records;
        this.recordChunkMetrics(chunk);
        // Only after the commit (an aborted batch leaves nothing pending), and only while the
        // partition is still ours (a revoked one is restored by its next owner).
        if (this.pacer && this.epochs.get(batch.partition) === epoch) {
          this.committedOffsets.set(batch.partition, nextOffset(chunk.lastOffset!));
          for (const entry of chunk.pending) this.pending.put(entry);
          stageMetrics.pendingRecords.set(labels, this.pending.size);
          this.scheduleRelease();
        }
      }
    }

    const seconds = (performance.now() - started) / 1000;
    if (processed > 0) {
      stageMetrics.batchSeconds.observe(labels, seconds);
      stageMetrics.batchSize.observe(labels, processed);
    }
    if (lastDone !== undefined) {
      const lag = Number(BigInt(batch.highWatermark) - BigInt(nextOffset(lastDone)));
      stageMetrics.consumerLag.set(
        { ...labels, topic: batch.topic, partition: String(batch.partition) },
        Math.max(0, lag),
      );
    }
    this.batches++;
    const now = Date.now();
    if (processed > 0 && (now - this.lastBatchLog >= 1000 || this.log.isLevelEnabled('debug'))) {
      this.lastBatchLog = now;
      this.log.info(
        {
          topic: batch.topic,
          partition: batch.partition,
          records: processed,
          lastOffset: lastDone,
          highWatermark: batch.highWatermark,
          ms: Math.round(seconds * 1000),
          batches: this.batches,
        },
        'batch committed',
      );
    }
  }

  /** Run `fn` when no other transaction (batch or release) is in progress. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  // ---- live pacing: the pending topic, restore, release ------------------------------------

  private get inputTopic(): string {
    return this.options.inputTopics[0]!;
  }

  private async preparePendingTopic(): Promise<void> {
    const store = this.options.pendingStore!;
    const admin = this.options.kafka.admin();
    try {
      await admin.connect();
      const partitions = await ensurePendingTopic(
        admin,
        this.inputTopic,
        store.topic,
        store.replicationFactor,
      );
      this.log.info({ pendingTopic: store.topic, partitions }, 'pending topic ready');
    } catch (error) {
      if (error instanceof OrderflowError) throw error;
      throw new OrderflowError(
        'ORDERFLOW_BROKER_UNAVAILABLE',
        `stage ${this.stage}: cannot prepare the pending topic ${store.topic}: ${describeError(error)}`,
        { cause: error, retriable: true },
      );
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** A partition was assigned: restore its pending entries (its batches wait for this). */
  private startRestore(partition: number): void {
    const epoch = (this.epochs.get(partition) ?? 0) + 1;
    this.epochs.set(partition, epoch);
    this.restores.set(partition, this.restorePartition(partition, epoch));
  }

  /** A partition was revoked: drop its entries unreleased; its next owner restores them. */
  private forgetPartition(partition: number): void {
    this.epochs.set(partition, (this.epochs.get(partition) ?? 0) + 1);
    this.restores.delete(partition);
    this.committedOffsets.delete(partition);
    const dropped = this.pending.dropPartition(partition);
    stageMetrics.pendingRecords.set({ stage: this.stage }, this.pending.size);
    if (dropped > 0) this.log.info({ partition, dropped }, 'pending entries of a revoked partition dropped');
  }

  /** Wait until the partition's pending entries are restored. */
  private async restored(partition: number): Promise<void> {
    if (!this.restores.has(partition)) this.startRestore(partition);
    await this.restores.get(partition);
  }

  /** Read the pending partition back, retrying until it works, the partition goes away or the stage stops. */
  private async restorePartition(partition: number, epoch: number): Promise<void> {
    const store = this.options.pendingStore!;
    const current = () => this.epochs.get(partition) === epoch && !this.stopping;
    for (let attempt = 1; current(); attempt++) {
      const started = Date.now();
      try {
        const entries = await readPendingPartition({
          bootstrap: store.bootstrap,
          topic: store.topic,
          partition,
          dueAt: (eventTime) => this.pacer!.dueAt(eventTime),
          timeoutMs: store.restoreTimeoutMs ?? 60_000,
        });
        const [committed] = await this.consumer.committed([{ topic: this.inputTopic, partition }]);
        if (!current()) return;
        // No commit yet: the offset is null or a negative logical offset.
        const offset = committed?.offset as string | null | undefined;
        if (offset !== null && offset !== undefined && /^\d+$/.test(String(offset)))
          this.committedOffsets.set(partition, String(offset));
        for (const entry of entries) this.pending.put(entry);
        stageMetrics.pendingRecords.set({ stage: this.stage }, this.pending.size);
        this.log.info(
          { partition, restored: entries.length, ms: Date.now() - started },
          'pending partition restored',
        );
        this.scheduleRelease();
        return;
      } catch (error) {
        if (!current()) return; // revoked or stopping meanwhile: nothing to restore any more
        if (!(error instanceof OrderflowError && error.retriable) && !isKafkaError(error)) {
          this.log.fatal({ err: error, partition }, 'pending partition cannot be restored');
          this.stopping = true;
          this.options.onFatal?.(error);
          throw error;
        }
        const backoff = Math.min(5000, 200 * 2 ** Math.min(attempt, 5));
        this.log.warn({ err: describeError(error), partition, backoff }, 'pending restore failed; retrying');
        await sleep(backoff);
      }
    }
  }

  /** Park a record's outputs, not yet due, in the pending topic (same transaction as its offset). */
  private addPending(
    chunk: Chunk,
    source: SourceRecord,
    result: Extract<RecordResult, { kind: 'output' }>,
    due: number,
  ): void {
    chunk.records++;
    chunk.lastOffset = source.offset;
    const pendingTopic = this.options.pendingStore!.topic;
    for (const { topic, message, failure } of result.messages) {
      const key = message.key;
      const entry: PendingEntry = {
        partition: source.partition,
        key: Buffer.isBuffer(key) ? key : Buffer.from(key ?? ''),
        topic,
        value: message.value as Buffer,
        eventTime: result.releaseAt!,
        due,
        originTime: result.originTime,
        failure,
        sourceOffset: source.offset,
      };
      chunk.pending.push(entry);
      push(chunk.topicMessages, pendingTopic, pendingMessage(entry));
    }
  }

  /** Timer and after each batch: start a release when something is due and none is running. */
  private scheduleRelease(): void {
    if (this.releasing || this.stopping || !this.running) return;
    const next = this.pending.nextDue();
    const now = Date.now();
    if (next === undefined || next > now || now < this.releaseRetryAt) return;
    this.releasing = true;
    this.exclusive(() => this.releaseDue())
      .catch((error: unknown) => {
        this.releaseFailures++;
        const backoff = Math.min(5000, 100 * 2 ** Math.min(this.releaseFailures, 6));
        this.releaseRetryAt = Date.now() + backoff;
        this.log.warn({ err: describeError(error), backoff }, 'release failed; it will be retried');
      })
      .finally(() => {
        this.releasing = false;
      });
  }

  /**
   * One transaction: each due output to its topic, a tombstone for its pending record, and the
   * committed offsets of the partitions involved (so a member that lost them in a rebalance is
   * fenced by the group generation and cannot release what the new owner restored).
   */
  private async releaseDue(): Promise<void> {
    if (this.stopping) return;
    const entries = this.pending.due(Date.now(), RELEASE_LIMIT);
    if (entries.length === 0) return;
    const started = performance.now();
    const store = this.options.pendingStore!;
    const messages: TopicMessages = new Map();
    const partitions = new Map<number, string>();
    for (const entry of entries) {
      push(messages, entry.topic, { key: entry.key, value: entry.value });
      push(messages, store.topic, pendingTombstone(entry));
      const offset = this.committedOffsets.get(entry.partition);
      if (offset !== undefined) partitions.set(entry.partition, offset);
    }
    const topicMessages = [...messages].map(([topic, list]) => ({ topic, messages: list }));
    const producer = this.producer!;
    if (!this.transactional) {
      await producer.sendBatch({ topicMessages });
    } else {
      try {
        await producer.transaction();
        await producer.sendBatch({ topicMessages });
        if (partitions.size > 0) {
          await producer.sendOffsets({
            consumer: this.consumer,
            topics: [
              {
                topic: this.inputTopic,
                partitions: [...partitions].map(([partition, offset]) => ({ partition, offset })),
              },
            ],
          });
        }
        await producer.commit();
      } catch (error) {
        stageMetrics.transactions.inc({ stage: this.stage, outcome: 'aborted' });
        await this.recoverProducer(error);
        throw new OrderflowError(
          'ORDERFLOW_TRANSACTION_FAILED',
          `stage ${this.stage}: release of ${entries.length} pending outputs failed: ${describeError(error)}`,
          { cause: error, retriable: true },
        );
      }
      stageMetrics.transactions.inc({ stage: this.stage, outcome: 'committed' });
    }
    this.releaseFailures = 0;
    const stage = this.stage;
    const now = Date.now();
    const perTopic = new Map<string, number>();
    let failures = 0;
    for (const entry of entries) {
      this.pending.delete(entry.partition, entry.key);
      perTopic.set(entry.topic, (perTopic.get(entry.topic) ?? 0) + 1);
      if (entry.failure) failures++;
      if (entry.originTime !== undefined) {
        stageMetrics.endToEndSeconds.observe(
          { stage },
          Math.max(0, now - this.pacer!.dueAt(entry.originTime)) / 1000,
        );
      }
    }
    for (const [topic, n] of perTopic) stageMetrics.recordsOut.inc({ stage, topic }, n);
    if (failures > 0) stageMetrics.recordsFailed.inc({ stage }, failures);
    stageMetrics.pendingReleased.inc({ stage }, entries.length);
    stageMetrics.pendingRecords.set({ stage }, this.pending.size);
    stageMetrics.transactionSeconds.observe({ stage }, (performance.now() - started) / 1000);
    this.log.info(
      {
        released: entries.length,
        topics: Object.fromEntries(perTopic),
        latestDueMs: Math.round(entries[entries.length - 1]!.due),
        lateMs: Math.max(0, Math.round(now - entries[entries.length - 1]!.due)),
        pending: this.pending.size,
      },
      'pending outputs released',
    );
  }

  private async commitChunk(payload: EachBatchPayload, chunk: Chunk): Promise<void> {
    const { topic, partition } = payload.batch;
    const topicMessages = [...chunk.topicMessages].map(([t, messages]) => ({ topic: t, messages }));
    const producer = this.producer!;
    const started = performance.now();

    if (!this.transactional) {
      try {
        await producer.sendBatch({ topicMessages });
      } catch (error) {
        throw new OrderflowError(
          'ORDERFLOW_DELIVERY_FAILED',
          `stage ${this.stage}: ${describeError(error)}`,
          {
            cause: error,
            retriable: true,
          },
        );
      }
      stageMetrics.transactionSeconds.observe({ stage: this.stage }, (performance.now() - started) / 1000);
      return;
    }

    try {
      await producer.transaction();
      const offsets = {
        consumer: this.consumer,
        topics: [{ topic, partitions: [{ partition, offset: nextOffset(chunk.lastOffset!) }] }],
      };
      if (chunk.pending.length > 0) {
        // Pending records first, then the offsets: once they are in the log their partition's
        // last stable offset waits for this transaction, so a new owner restoring it cannot miss
        // them if the offsets (group generation) are accepted.
        await producer.sendBatch({ topicMessages });
        await producer.sendOffsets(offsets);
      } else {
        // Sends and offsets in parallel: commit() flushes the outputs anyway.
        const [sent, offsetsSent] = await Promise.allSettled([
          producer.sendBatch({ topicMessages }),
          producer.sendOffsets(offsets),
        ]);
        if (sent.status === 'rejected') throw sent.reason;
        if (offsetsSent.status === 'rejected') throw offsetsSent.reason;
      }
      if (payload.isStale()) {
        throw new OrderflowError(
          'ORDERFLOW_TRANSACTION_FAILED',
          'the batch went stale (partition revoked or seeked)',
          {
            retriable: true,
          },
        );
      }
      await producer.commit();
    } catch (error) {
      stageMetrics.transactions.inc({ stage: this.stage, outcome: 'aborted' });
      await this.recoverProducer(error);
      throw new OrderflowError(
        'ORDERFLOW_TRANSACTION_FAILED',
        `stage ${this.stage}: transaction for ${topic}[${partition}] up to offset ${chunk.lastOffset} failed: ${describeError(error)}`,
        { cause: error, retriable: true },
      );
    }
    stageMetrics.transactions.inc({ stage: this.stage, outcome: 'committed' });
    stageMetrics.transactionSeconds.observe({ stage: this.stage }, (performance.now() - started) / 1000);
  }

  /** After a failed transaction: abort it, or replace the producer when it is fenced or in a fatal state. */
  private async recoverProducer(error: unknown): Promise<void> {
    const producer = this.producer!;
    const fatal = (error as { fatal?: boolean }).fatal === true;
    if (!fatal) {
      try {
        if (producer.isActive()) await producer.abort();
        this.log.warn({ err: describeError(error) }, 'transaction aborted');
        return;
      } catch (abortError) {
        this.log.warn({ err: describeError(abortError) }, 'abort failed; recreating the producer');
      }
    } else {
      this.log.error({ err: describeError(error) }, 'fatal producer error; recreating the producer');
    }
    await producer.disconnect().catch(() => undefined);
    this.producer = await this.createProducer();
  }

  private recordChunkMetrics(chunk: Chunk): void {
    const stage = this.stage;
    stageMetrics.recordsIn.inc({ stage }, chunk.records);
    for (const [topic, n] of chunk.outCounts) stageMetrics.recordsOut.inc({ stage, topic }, n);
    if (chunk.failures > 0) stageMetrics.recordsFailed.inc({ stage }, chunk.failures);
    for (const [code, n] of chunk.deadLetters) stageMetrics.recordsDlq.inc({ stage, code }, n);
    if (this.pacer) {
      const now = Date.now();
      for (const origin of chunk.origins) {
        stageMetrics.endToEndSeconds.observe({ stage }, Math.max(0, now - this.pacer.dueAt(origin)) / 1000);
      }
    }
  }
}

function addToChunk(chunk: Chunk, result: ReturnType<typeof processRecord>, offset: string): void {
  chunk.records++;
  chunk.lastOffset = offset;
  if (result.kind === 'dead-letter') {
    push(chunk.topicMessages, result.topic, result.message);
    chunk.deadLetters.set(result.code, (chunk.deadLetters.get(result.code) ?? 0) + 1);
    return;
  }
  for (const { topic, message, failure } of result.messages) {
    push(chunk.topicMessages, topic, message);
    chunk.outCounts.set(topic, (chunk.outCounts.get(topic) ?? 0) + 1);
    if (failure) chunk.failures++;
  }
  if (result.originTime !== undefined) chunk.origins.push(result.originTime);
}

function push(map: TopicMessages, topic: string, message: KafkaJS.Message): void {
  const list = map.get(topic);
  if (list) list.push(message);
  else map.set(topic, [message]);
}

/** An error from the Kafka client itself (broker, network, state), as opposed to a bug here. */
function isKafkaError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name.startsWith('KafkaJS');
}
