import { setTimeout as sleep } from 'node:timers/promises';
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { describeError, OrderflowError } from '../common/errors.ts';
import { nextOffset, PIPELINE_CONSUMER, type EachBatchPayload } from '../common/kafka.ts';
import type { Logger } from '../common/logger.ts';
import { stageMetrics } from '../common/metrics.ts';
import { FailureStreak, retry } from '../common/retry.ts';
import { dlqTopic } from '../schemas/topics.ts';
import { addResult, newChunk, topicMessages, type Chunk } from './chunk.ts';
import { PARTITIONS_ASSIGNED } from './client-errors.ts';
import type { RebalanceEvent, RuntimeConsumer } from './client.ts';
import { Pacer } from './pacing.ts';
import { PendingReleaser } from './pending-releaser.ts';
import { processRecord, type RecordProcessing } from './record.ts';
import { TransactionLock, TransactionalWriter } from './transactional-writer.ts';
import type { StageRuntimeOptions } from './stage-options.ts';
import type { SourceRecord } from './types.ts';
import { BatchMetrics } from './batch-metrics.ts';
import { CONCURRENT_PARTITIONS, GroupCommit } from './group-commit.ts';

export type { StageRuntimeOptions } from './stage-options.ts';

const START_BUDGET_MS = 180_000;
/** A consumed batch's outputs, waiting for their transaction. */
interface Pending {
  payload: EachBatchPayload;
  chunk: Chunk;
}

/**
 * The exactly-once stage runtime: consume a batch, decode it, run the pure handler on each record,
 * and write the outputs, the dead letters and the consumed offsets in one Kafka transaction.
 *
 * This file is the batch loop (consume, assignment). What a stage passes in is stage-options.ts, its
 * metrics and progress log batch-metrics.ts, the transactions and the producer's recovery
 * transactional-writer.ts, and live pacing's pending outputs pending-releaser.ts.
 *
 * - Offsets go through sendOffsets with the consumer's group metadata (KIP-447), so a rebalance or
 *   a zombie instance cannot commit outputs for partitions it no longer owns.
 * - A failed transaction is aborted (or the producer recreated) and the batch is handed back to
 *   the consumer, which seeks to its first record and delivers it again after a backoff.
 * - Records that cannot be decoded, or whose outputs break their sink's checks, go to the input
 *   topic's dead-letter twin in the same transaction; the partition keeps going.
 * - Several partitions' batches at once (partitionsConsumedConcurrently, 1 with live pacing), and
 *   the batches that arrive while a transaction is in flight share the next one (group-commit.ts).
 *   Batch and release transactions take turns (TransactionLock): one open transaction.
 * - No pause() and no waiting in the poll loop: live pacing parks outputs that are not due in a
 *   compacted pending topic and releases them from a timer (see pacing.ts).
 */
export class StageRuntime<In> {
  private readonly stage: string;
  private readonly log: Logger;
  private readonly consumer: RuntimeConsumer;
  private readonly writer: TransactionalWriter;
  private readonly lock = new TransactionLock();
  private readonly processing: RecordProcessing<In>;
  private readonly pacer: Pacer | undefined;
  private readonly releaser: PendingReleaser | undefined;
  private readonly failures = new FailureStreak({ initialMs: 200, maxMs: 5_000 });
  private readonly assigned = new Set<string>();
  private stopping = false;
  private running = false;
  private processedTotal = 0;
  private readonly metrics: BatchMetrics;
  private readonly commits: GroupCommit<Pending>;
  private lastFailure: unknown;
  private lastBackoff = 0;

  constructor(private readonly options: StageRuntimeOptions<In>) {
    this.stage = options.stage;
    this.log = options.log.child({ stage: options.stage, instance: options.instanceId });
    const transactional = options.transactional ?? true;
    this.pacer = options.pacing ? new Pacer(options.pacing) : undefined;
    this.metrics = new BatchMetrics(options.stage, this.log, this.pacer);
    this.commits = new GroupCommit<Pending>(
      (group) => this.lock.run(() => this.commitGroup(group)),
      () => this.stopping,
    );
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
      'enable.auto.commit': !transactional,
      ...PIPELINE_CONSUMER,
      'js.consumer.max.batch.size': options.batchSize ?? 1000,
      rebalance_cb: (event: RebalanceEvent, assignment: KafkaJS.TopicPartition[]) =>
        this.onRebalance(event, assignment),
      ...options.consumerConfig,
    } as KafkaJS.ConsumerConstructorConfig);
    this.writer = new TransactionalWriter({
      stage: options.stage,
      kafka: options.kafka,
      transactionalId: options.transactionalId,
      transactional,
      producerConfig: options.producerConfig,
      log: this.log,
    });
    if (this.pacer) {
      this.releaser = new PendingReleaser({
        stage: options.stage,
        inputTopic: options.inputTopics[0]!,
        pacer: this.pacer,
        store: options.pendingStore!,
        kafka: options.kafka,
        consumer: this.consumer,
        writer: this.writer,
        lock: this.lock,
        log: this.log,
        stopping: () => this.stopping || !this.running,
        fatal: (error) => this.fatal(error),
      });
    }
  }

  /** Connect, subscribe and start consuming (returns once the consumer runs). */
  async start(): Promise<void> {
    const prepare = async () => {
      if (this.releaser) await this.releaser.prepareTopic();
      await this.writer.open();
    };
    await retry(prepare, {
      what: `stage ${this.stage}'s producer`,
      code: 'ORDERFLOW_BROKER_UNAVAILABLE',
      budgetMs: this.options.startBudgetMs ?? START_BUDGET_MS,
      retriable: (error) => error instanceof OrderflowError && error.retriable,
      hint: 'is the broker running? (orderflow stack status)',
      onRetry: ({ attempt, error }) => {
        if (attempt === 1)
          this.log.warn(
            { err: describeError(error), budgetMs: this.options.startBudgetMs ?? START_BUDGET_MS },
            'broker not answering at start-up; retrying',
          );
      },
    });
    try {
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: this.options.inputTopics });
    } catch (error) {
      throw new OrderflowError(
        'ORDERFLOW_BROKER_UNAVAILABLE',
        `stage ${this.stage} could not join its group: ${describeError(error)}`,
        { cause: error, retriable: true },
      );
    }
    await this.consumer.run({
      eachBatchAutoResolve: false,
      // Live pacing restores and releases one partition at a time (pending-releaser.ts).
      partitionsConsumedConcurrently: this.pacer ? 1 : CONCURRENT_PARTITIONS,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.running = true;
    this.releaser?.start();
    this.log.info(
      {
        group: this.options.groupId,
        topics: this.options.inputTopics,
        transactionalId: this.writer.transactional ? this.options.transactionalId : undefined,
        pacing: this.options.pacing,
        pendingTopic: this.releaser ? this.options.pendingStore!.topic : undefined,
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
    return this.releaser?.size ?? 0;
  }

  /** Input records this instance has committed (outputs or dead letters), since start. */
  get processedRecords(): number {
    return this.processedTotal;
  }

  /** Live pacing: a release transaction is in progress right now. */
  get releaseInProgress(): boolean {
    return this.releaser?.inProgress ?? false;
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
    this.releaser?.stop();
    // A transaction in progress (batch or release) finishes before the consumer disconnects: its
    // sendOffsets reads the consumer's group metadata, and the native client dereferences a
    // disconnected consumer (a segfault, not an error). Nothing new starts once `stopping` is set.
    await this.commits.idle();
    await this.lock.idle();
    await this.consumer.disconnect();
    this.running = false;
    await this.writer.close();
    this.log.info('stage stopped');
  }

  private fatal(error: unknown): void {
    this.stopping = true;
    this.options.onFatal?.(error);
  }

  private onRebalance(event: RebalanceEvent, assignment: KafkaJS.TopicPartition[]): void {
    const assigned = event.code === PARTITIONS_ASSIGNED;
    for (const tp of assignment) {
      const key = `${tp.topic}[${tp.partition}]`;
      if (this.releaser) {
        if (assigned) this.releaser.assigned(tp.partition);
        else this.releaser.revoked(tp.partition);
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

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    try {
      await this.processBatch(payload);
      this.failures.reset();
    } catch (error) {
      if (error instanceof OrderflowError && error.retriable) {
        // Back off before the consumer delivers the same records again; one warning per streak
        // step, so an outage logs a few lines, not one per record.
        // The batches of one failed group share its error: one step of the streak, not one each.
        const backoff = error === this.lastFailure ? this.lastBackoff : this.failures.fail();
        this.lastFailure = error;
        this.lastBackoff = backoff;
        this.log.warn(
          { err: describeError(error), code: error.code, backoff, failures: this.failures.count },
          'batch failed; it will be retried',
        );
        await sleep(backoff);
        throw error;
      }
      this.log.fatal({ err: error }, 'stage stopped by an unexpected error');
      this.fatal(error);
      throw error;
    }
  }

  private async processBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const messages = batch.messages;
    if (messages.length === 0) return;
    const started = performance.now();

    await this.processing.decoder.prepare(messages.map((m) => m.value));

    const epoch = this.releaser ? await this.releaser.restored(batch.partition) : 0;
    if (this.stopping || !payload.isRunning() || payload.isStale()) return;

    // The whole batch is one chunk and one transaction (live pacing parks what is not due).
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
      if (this.releaser && due !== undefined && due > Date.now() && result.kind === 'output') {
        this.releaser.park(chunk, source, result, due);
      } else {
        addResult(chunk, result, m.offset);
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
    if (chunk.records === 0) return;

    await this.commits.submit({ payload, chunk });
    payload.resolveOffset(chunk.lastOffset!);
    this.processedTotal += chunk.records;
    this.metrics.chunk(chunk);
    // Only after the commit: an aborted batch leaves nothing pending.
    this.releaser?.committed(batch.partition, epoch, nextOffset(chunk.lastOffset!), chunk.pending);
    this.metrics.batch(payload, chunk, (performance.now() - started) / 1000);
  }

  /** One transaction for a group of batches: their outputs and each partition's next offset. */
  private async commitGroup(group: Pending[]): Promise<void> {
    const started = performance.now();
    const messages = new Map<string, KafkaJS.Message[]>();
    const offsets = new Map<string, { partition: number; offset: string }[]>();
    for (const { payload, chunk } of group) {
      for (const [topic, list] of chunk.messages) {
        const into = messages.get(topic);
        if (into) into.push(...list);
        else messages.set(topic, [...list]);
      }
      const { topic, partition } = payload.batch;
      const partitions = offsets.get(topic) ?? [];
      partitions.push({ partition, offset: nextOffset(chunk.lastOffset!) });
      offsets.set(topic, partitions);
    }
    await this.writer.write({
      topicMessages: topicMessages(messages),
      offsets: {
        consumer: this.consumer,
        topics: [...offsets].map(([topic, partitions]) => ({ topic, partitions })),
      },
      // Pending records first, then the offsets: once they are in the log their partition's last
      // stable offset waits for this transaction, so a new owner restoring it cannot miss them if
      // the offsets (group generation) are accepted.
      recordsFirst: group.some((g) => g.chunk.pending.length > 0),
      beforeCommit: () => {
        // One stale batch (its partition revoked or seeked) fails the group: all are redelivered.
        if (group.some((g) => g.payload.isStale())) {
          throw new OrderflowError(
            'ORDERFLOW_TRANSACTION_FAILED',
            'a batch went stale (partition revoked or seeked)',
            { retriable: true },
          );
        }
      },
      describe: group
        .map(
          (g) => `${g.payload.batch.topic}[${g.payload.batch.partition}] up to offset ${g.chunk.lastOffset}`,
        )
        .join(', '),
    });
    stageMetrics.transactionSeconds.observe({ stage: this.stage }, (performance.now() - started) / 1000);
  }
}
