import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { describeError, OrderflowError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { stageMetrics } from '../common/metrics.ts';
import { afterFailedTransaction } from './client-errors.ts';
import type { OffsetsToCommit, RuntimeKafka, RuntimeProducer, TopicMessages } from './client.ts';

export interface TransactionalWriterOptions {
  stage: string;
  kafka: RuntimeKafka;
  /** The producer's transactional.id (see common/names.ts); one per running instance. */
  transactionalId: string;
  /** false: idempotent producer without transactions (the at-least-once baseline). */
  transactional: boolean;
  producerConfig?: Record<string, string | number | boolean>;
  log: Logger;
}

/** One transaction's contents. */
export interface TransactionWrite {
  topicMessages: TopicMessages;
  /** Input offsets committed with the outputs (KIP-447: checked against the group generation). */
  offsets?: OffsetsToCommit;
  /**
   * Send the records before the offsets (instead of both at once): used when pending records must
   * be in the log before the offsets are accepted (see pacing.ts).
   */
  recordsFirst?: boolean;
  /** Throws to abort just before the commit (e.g. the batch went stale in a rebalance). */
  beforeCommit?: () => void;
  /** For the error message: what this transaction carries. */
  describe: string;
}

/**
 * The transactional producer of one stage instance: its life cycle, one transaction at a time
 * (callers serialize with TransactionLock), and recovery driven by the client's own error flags:
 * an abortable failure is aborted and the producer kept, a fenced or fatal one gets a new producer.
 * Every failure is rethrown as a retriable ORDERFLOW_TRANSACTION_FAILED: the caller hands its
 * records back to be delivered again.
 */
export class TransactionalWriter {
  private producer: RuntimeProducer | undefined;
  private readonly log: Logger;

  constructor(private readonly options: TransactionalWriterOptions) {
    this.log = options.log;
  }

  get transactional(): boolean {
    return this.options.transactional;
  }

  async open(): Promise<void> {
    this.producer = await this.create();
  }

  /** Write and commit one transaction (or, non-transactional, send and wait for the acks). */
  async write(w: TransactionWrite): Promise<void> {
    // A producer lost in a failed recovery (broker down) is created again here, retriably.
    const producer = this.producer ?? (this.producer = await this.create());
    const stage = this.options.stage;
    if (!this.options.transactional) {
      try {
        await producer.sendBatch({ topicMessages: w.topicMessages });
      } catch (error) {
        throw new OrderflowError('ORDERFLOW_DELIVERY_FAILED', `stage ${stage}: ${describeError(error)}`, {
          cause: error,
          retriable: true,
        });
      }
      return;
    }
    try {
      await producer.transaction();
      if (!w.offsets) {
        await producer.sendBatch({ topicMessages: w.topicMessages });
      } else if (w.recordsFirst) {
        await producer.sendBatch({ topicMessages: w.topicMessages });
        await producer.sendOffsets(w.offsets);
      } else {
        // Sends and offsets in parallel: commit() flushes the outputs anyway.
        const [sent, offsetsSent] = await Promise.allSettled([
          producer.sendBatch({ topicMessages: w.topicMessages }),
          producer.sendOffsets(w.offsets),
        ]);
        if (sent.status === 'rejected') throw sent.reason;
        if (offsetsSent.status === 'rejected') throw offsetsSent.reason;
      }
      w.beforeCommit?.();
      await producer.commit();
    } catch (error) {
      stageMetrics.transactions.inc({ stage, outcome: 'aborted' });
      await this.recover(error);
      throw new OrderflowError(
        'ORDERFLOW_TRANSACTION_FAILED',
        `stage ${stage}: transaction for ${w.describe} failed: ${describeError(error)}`,
        { cause: error, retriable: true },
      );
    }
    stageMetrics.transactions.inc({ stage, outcome: 'committed' });
  }

  /** Abort a transaction left open, then disconnect. */
  async close(): Promise<void> {
    const producer = this.producer;
    if (!producer) return;
    this.producer = undefined;
    if (producer.isActive()) {
      await producer
        .abort()
        .catch((error: unknown) => this.log.warn({ err: describeError(error) }, 'abort on stop failed'));
    }
    await producer.disconnect();
  }

  private async create(): Promise<RuntimeProducer> {
    const o = this.options;
    const producer = o.kafka.producer({
      ...(o.transactional
        ? { 'transactional.id': o.transactionalId, 'transaction.timeout.ms': 30_000 }
        : { 'enable.idempotence': true }),
      'linger.ms': 5,
      // Same partition for the same key as Java clients (Connect, ksqlDB).
      partitioner: 'murmur2_random',
      ...o.producerConfig,
    } as KafkaJS.ProducerConstructorConfig);
    try {
      await producer.connect();
    } catch (error) {
      // A producer that never connected is let go, so that a retry starts from a fresh one.
      await producer.disconnect().catch(() => undefined);
      throw new OrderflowError(
        'ORDERFLOW_BROKER_UNAVAILABLE',
        `stage ${o.stage}: producer could not connect: ${describeError(error)}`,
        { cause: error, retriable: true },
      );
    }
    return producer;
  }

  /** After a failed transaction: abort it, or replace the producer when it is fenced or fatal. */
  private async recover(error: unknown): Promise<void> {
    const producer = this.producer!;
    if (afterFailedTransaction(error) === 'abort') {
      try {
        if (producer.isActive()) await producer.abort();
        this.log.warn({ err: describeError(error) }, 'transaction aborted');
        return;
      } catch (abortError) {
        this.log.warn({ err: describeError(abortError) }, 'abort failed; recreating the producer');
      }
    } else {
      this.log.error({ err: describeError(error) }, 'producer fenced or fatal; recreating the producer');
    }
    this.producer = undefined;
    await producer.disconnect().catch(() => undefined);
    this.producer = await this.create();
  }
}

/** Runs transactions one at a time on the one producer (batches and pending releases take turns). */
export class TransactionLock {
  private tail: Promise<void> = Promise.resolve();

  /** Run `fn` when no other transaction is in progress. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Resolves once the transaction in progress (if any) has finished. */
  idle(): Promise<void> {
    return this.run(async () => undefined);
  }
}
