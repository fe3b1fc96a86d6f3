import { setTimeout as sleep } from 'node:timers/promises';
import { describeError, OrderflowError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { stageMetrics } from '../common/metrics.ts';
import { FailureStreak } from '../common/retry.ts';
import type { Chunk } from './chunk.ts';
import { pushMessage, topicMessages } from './chunk.ts';
import { isClientError } from './client-errors.ts';
import type { RuntimeConsumer, RuntimeKafka } from './client.ts';
import type { Pacer } from './pacing.ts';
import { PendingSet, pendingMessage, pendingTombstone, type PendingEntry } from './pending.ts';
import { ensurePendingTopic, readPendingPartition } from './pending-store.ts';
import type { RecordResult } from './record.ts';
import type { TransactionalWriter, TransactionLock } from './transactional-writer.ts';
import type { SourceRecord } from './types.ts';

/** Where a paced stage keeps outputs that are not due yet. */
export interface PendingStoreOptions {
  /** Bootstrap servers, for the plain consumer that restores a pending partition. */
  bootstrap: string;
  /** The compacted pending topic (pipelineNames(prefix).pending(stage)). */
  topic: string;
  /** Replication factor when the runtime creates the pending topic. */
  replicationFactor: number;
  /** Longest time one restore of a pending partition may take (default 60 s). */
  restoreTimeoutMs?: number;
  /** Reads one pending partition back (default: readPendingPartition; a fake in unit tests). */
  readPartition?: (partition: number, dueAt: (eventTime: number) => number) => Promise<PendingEntry[]>;
}

export interface PendingReleaserOptions {
  stage: string;
  inputTopic: string;
  pacer: Pacer;
  store: PendingStoreOptions;
  kafka: RuntimeKafka;
  consumer: RuntimeConsumer;
  writer: TransactionalWriter;
  lock: TransactionLock;
  log: Logger;
  /** The stage is stopping: start nothing new. */
  stopping: () => boolean;
  /** A restore failed in a way retrying cannot fix: stop the stage. */
  fatal: (error: unknown) => void;
}

/** Most pending outputs released in one transaction. */
const RELEASE_LIMIT = 2000;

/**
 * Live pacing's other half (the design is in pacing.ts): the in-memory pending set of the owned
 * partitions, its restore from the compacted pending topic on assignment, and the timer that
 * releases due outputs in transactions of their own, fenced by the partitions' committed offsets.
 */
export class PendingReleaser {
  private readonly pending = new PendingSet();
  private readonly restores = new Map<number, Promise<void>>();
  private readonly epochs = new Map<number, number>();
  /** Input offset last committed per owned partition (re-sent with releases, to fence them). */
  private readonly committedOffsets = new Map<number, string>();
  private readonly failures = new FailureStreak();
  private timer: NodeJS.Timeout | undefined;
  private releasing = false;
  private retryAt = 0;
  private readonly log: Logger;

  constructor(private readonly o: PendingReleaserOptions) {
    this.log = o.log;
  }

  /** Outputs held in memory, not yet due. */
  get size(): number {
    return this.pending.size;
  }

  /** A release transaction is in progress right now. */
  get inProgress(): boolean {
    return this.releasing;
  }

  /** Create the pending topic if needed (same partition count as the input topic). */
  async prepareTopic(): Promise<void> {
    const admin = this.o.kafka.admin();
    const { topic, replicationFactor } = this.o.store;
    try {
      await admin.connect();
      const partitions = await ensurePendingTopic(admin, this.o.inputTopic, topic, replicationFactor);
      this.log.info({ pendingTopic: topic, partitions }, 'pending topic ready');
    } catch (error) {
      if (error instanceof OrderflowError) throw error;
      throw new OrderflowError(
        'ORDERFLOW_BROKER_UNAVAILABLE',
        `stage ${this.o.stage}: cannot prepare the pending topic ${topic}: ${describeError(error)}`,
        { cause: error, retriable: true },
      );
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** Start the release timer. */
  start(): void {
    this.timer = setInterval(() => this.schedule(), this.o.pacer.options.releaseIntervalMs ?? 200);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A partition was assigned: restore its pending entries (its batches wait for this). */
  assigned(partition: number): void {
    const epoch = (this.epochs.get(partition) ?? 0) + 1;
    this.epochs.set(partition, epoch);
    this.restores.set(partition, this.restore(partition, epoch));
  }

  /** A partition was revoked: drop its entries unreleased; its next owner restores them. */
  revoked(partition: number): void {
    this.epochs.set(partition, (this.epochs.get(partition) ?? 0) + 1);
    this.restores.delete(partition);
    this.committedOffsets.delete(partition);
    const dropped = this.pending.dropPartition(partition);
    stageMetrics.pendingRecords.set({ stage: this.o.stage }, this.pending.size);
    if (dropped > 0) this.log.info({ partition, dropped }, 'pending entries of a revoked partition dropped');
  }

  /** Wait until the partition's pending entries are restored; returns its ownership epoch. */
  async restored(partition: number): Promise<number> {
    if (!this.restores.has(partition)) this.assigned(partition);
    await this.restores.get(partition);
    return this.epochs.get(partition)!;
  }

  /** Park a record's outputs, not yet due, in the pending topic (same transaction as its offset). */
  park(
    chunk: Chunk,
    source: SourceRecord,
    result: Extract<RecordResult, { kind: 'output' }>,
    due: number,
  ): void {
    chunk.records++;
    chunk.lastOffset = source.offset;
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
      pushMessage(chunk.messages, this.o.store.topic, pendingMessage(entry));
    }
  }

  /**
   * A batch of `partition` committed up to `nextOffset`: remember the offset and hold its parked
   * entries, but only while the partition is still ours (a revoked one is restored by its next
   * owner from the pending topic).
   */
  committed(partition: number, epoch: number, nextOffset: string, parked: PendingEntry[]): void {
    if (this.epochs.get(partition) !== epoch) return;
    this.committedOffsets.set(partition, nextOffset);
    for (const entry of parked) this.pending.put(entry);
    stageMetrics.pendingRecords.set({ stage: this.o.stage }, this.pending.size);
    this.schedule();
  }

  /** Timer and after each batch: start a release when something is due and none is running. */
  schedule(): void {
    if (this.releasing || this.o.stopping()) return;
    const next = this.pending.nextDue();
    const now = Date.now();
    if (next === undefined || next > now || now < this.retryAt) return;
    this.releasing = true;
    this.o.lock
      .run(() => this.releaseDue())
      .then(() => this.failures.reset())
      .catch((error: unknown) => {
        const backoff = this.failures.fail();
        this.retryAt = Date.now() + backoff;
        this.log.warn({ err: describeError(error), backoff }, 'release failed; it will be retried');
      })
      .finally(() => {
        this.releasing = false;
      });
  }

  /** Read the pending partition back, retrying until it works, the partition goes away or the stage stops. */
  private async restore(partition: number, epoch: number): Promise<void> {
    const store = this.o.store;
    const current = () => this.epochs.get(partition) === epoch && !this.o.stopping();
    const dueAt = (eventTime: number) => this.o.pacer.dueAt(eventTime);
    const read =
      store.readPartition ??
      ((p: number) =>
        readPendingPartition({
          bootstrap: store.bootstrap,
          topic: store.topic,
          partition: p,
          dueAt,
          timeoutMs: store.restoreTimeoutMs ?? 60_000,
        }));
    const failures = new FailureStreak();
    while (current()) {
      const started = Date.now();
      try {
        const entries = await read(partition, dueAt);
        const [committed] = await this.o.consumer.committed([{ topic: this.o.inputTopic, partition }]);
        if (!current()) return;
        // No commit yet: the offset is null or a negative logical offset.
        const offset = committed?.offset;
        if (offset !== null && offset !== undefined && /^\d+$/.test(String(offset)))
          this.committedOffsets.set(partition, String(offset));
        for (const entry of entries) this.pending.put(entry);
        stageMetrics.pendingRecords.set({ stage: this.o.stage }, this.pending.size);
        this.log.info(
          { partition, restored: entries.length, ms: Date.now() - started },
          'pending partition restored',
        );
        this.schedule();
        return;
      } catch (error) {
        if (!current()) return; // revoked or stopping meanwhile: nothing to restore any more
        if (!(error instanceof OrderflowError && error.retriable) && !isClientError(error)) {
          this.log.fatal({ err: error, partition }, 'pending partition cannot be restored');
          this.o.fatal(error);
          throw error;
        }
        const backoff = failures.fail();
        this.log.warn({ err: describeError(error), partition, backoff }, 'pending restore failed; retrying');
        await sleep(backoff);
      }
    }
  }

  /**
   * One transaction: each due output to its topic, a tombstone for its pending record, and the
   * committed offsets of the partitions involved (so a member that lost them in a rebalance is
   * fenced by the group generation and cannot release what the new owner restored).
   */
  private async releaseDue(): Promise<void> {
    if (this.o.stopping()) return;
    const entries = this.pending.due(Date.now(), RELEASE_LIMIT);
    if (entries.length === 0) return;
    const started = performance.now();
    const messages: Chunk['messages'] = new Map();
    const partitions = new Map<number, string>();
    for (const entry of entries) {
      pushMessage(messages, entry.topic, { key: entry.key, value: entry.value });
      pushMessage(messages, this.o.store.topic, pendingTombstone(entry));
      const offset = this.committedOffsets.get(entry.partition);
      if (offset !== undefined) partitions.set(entry.partition, offset);
    }
    await this.o.writer.write({
      topicMessages: topicMessages(messages),
      offsets:
        partitions.size > 0
          ? {
              consumer: this.o.consumer,
              topics: [
                {
                  topic: this.o.inputTopic,
                  partitions: [...partitions].map(([partition, offset]) => ({ partition, offset })),
                },
              ],
            }
          : undefined,
      recordsFirst: true,
      describe: `the release of ${entries.length} pending outputs`,
    });
    this.recordRelease(entries, started);
  }

  private recordRelease(entries: PendingEntry[], started: number): void {
    const stage = this.o.stage;
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
          Math.max(0, now - this.o.pacer.dueAt(entry.originTime)) / 1000,
        );
      }
    }
    for (const [topic, n] of perTopic) stageMetrics.recordsOut.inc({ stage, topic }, n);
    if (failures > 0) stageMetrics.recordsFailed.inc({ stage }, failures);
    stageMetrics.pendingReleased.inc({ stage }, entries.length);
    stageMetrics.pendingRecords.set({ stage }, this.pending.size);
    stageMetrics.transactionSeconds.observe({ stage }, (performance.now() - started) / 1000);
    const last = entries[entries.length - 1]!;
    this.log.info(
      {
        released: entries.length,
        topics: Object.fromEntries(perTopic),
        latestDueMs: Math.round(last.due),
        lateMs: Math.max(0, Math.round(now - last.due)),
        pending: this.pending.size,
      },
      'pending outputs released',
    );
  }
}
