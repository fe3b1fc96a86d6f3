import { setTimeout as sleep } from 'node:timers/promises';
/**
 * The raw Kafka work of the benchmarks, with the same client and settings as the product but no
 * application logic: create and delete a run's topics, produce pre-encoded bytes, consume them,
 * pass them through unchanged (with or without transactions), and count what was committed.
 */
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { describeError, OrderflowError } from '../common/errors.ts';
import { createKafka, nextOffset, PIPELINE_CONSUMER, type Kafka } from '../common/kafka.ts';
import type { Logger } from '../common/logger.ts';
import { PRODUCER_DEFAULTS } from '../producer/kafka-sink.ts';
import { CONCURRENT_PARTITIONS, GroupCommit } from '../runtime/group-commit.ts';
import type { Message } from './input.ts';

export interface KafkaContext {
  bootstrap: string;
  log: Logger;
  partitions: number;
}

/** Settings of the stage runtime's consumer and producer (runtime/stage-runtime.ts). */
export const STAGE_CONSUMER: Record<string, string | number | boolean> = {
  'enable.auto.commit': false,
  ...PIPELINE_CONSUMER,
};
export const STAGE_PRODUCER: Record<string, string | number | boolean> = {
  'linger.ms': 5,
  partitioner: 'murmur2_random',
};

/**
 * What the pass-through adds to STAGE_PRODUCER to be the best the client can do, not slower than
 * the stage it bounds. It begins each transaction right after the previous commit, while the
 * coordinator is still writing that commit's markers: its AddOffsetsToTxn (sendOffsets) is then
 * refused with CONCURRENT_TRANSACTIONS and librdkafka retries it after retry.backoff.ms (100 ms by
 * default; AddPartitionsToTxn has its own 20 ms), so nearly every transaction waited one such retry
 * (mean 100-145 ms against 30-40 ms with this). A stage rarely waits: its decode and transform
 * between two transactions give the coordinator that time.
 */
export const PASSTHROUGH_PRODUCER: Record<string, string | number | boolean> = {
  ...STAGE_PRODUCER,
  'retry.backoff.ms': 10,
};

export function kafkaClient(ctx: KafkaContext, clientId: string): Kafka {
  return createKafka(ctx.bootstrap, clientId, ctx.log);
}

export async function createTopics(
  ctx: KafkaContext,
  topics: string[],
  partitions = ctx.partitions,
): Promise<void> {
  const admin = kafkaClient(ctx, 'orderflow-bench-admin').admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({
        topics: missing.map((topic) => ({
          topic,
          numPartitions: topic.endsWith('.dlq') ? 1 : partitions,
          replicationFactor: 1,
        })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}

/** Delete every topic that starts with `prefix` (a run's own topics; prefixes are unique per run). */
export async function deletePrefixTopics(ctx: KafkaContext, prefix: string): Promise<void> {
  if (prefix.length < 8)
    throw new OrderflowError('ORDERFLOW_USAGE', `refusing to delete topics of a short prefix "${prefix}"`);
  // Clean-up must never hold the benchmark: an admin call that does not answer is abandoned.
  await bounded(deleteTopicsNow(ctx, prefix), 30_000).catch((error: unknown) =>
    ctx.log.warn({ err: describeError(error), prefix }, 'could not delete the run topics'),
  );
}

async function deleteTopicsNow(ctx: KafkaContext, prefix: string): Promise<void> {
  const admin = kafkaClient(ctx, 'orderflow-bench-admin').admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

/** `promise`, or a rejection after `ms` (the promise itself keeps running). */
export function bounded<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface ProduceOptions {
  /** Messages per send call (the generator's ORDERFLOW_GENERATOR_BATCH_SIZE). */
  batchSize: number;
  /** Send calls awaiting their delivery reports at once. */
  maxInFlight: number;
  /** Producer properties (librdkafka names); default: the generator's. */
  config?: Record<string, string | number | boolean>;
}

export const RAW_PRODUCE_DEFAULTS: ProduceOptions = {
  batchSize: 500,
  maxInFlight: 32,
  config: PRODUCER_DEFAULTS,
};

/**
 * Produce `messages` to `topic` and wait for every delivery report. Returns the seconds from the
 * first send to the last acknowledgement (connecting is not timed).
 */
export async function produceAll(
  ctx: KafkaContext,
  topic: string,
  messages: readonly Message[],
  options: ProduceOptions = RAW_PRODUCE_DEFAULTS,
): Promise<number> {
  const producer = kafkaClient(ctx, 'orderflow-bench-producer').producer({
    ...(options.config ?? PRODUCER_DEFAULTS),
  } as KafkaJS.ProducerConstructorConfig);
  await producer.connect();
  try {
    const inFlight = new Set<Promise<void>>();
    let failure: unknown;
    const started = performance.now();
    for (let i = 0; i < messages.length; i += options.batchSize) {
      const batch = messages.slice(i, i + options.batchSize);
      const sent: Promise<void> = producer.send({ topic, messages: batch }).then(
        () => undefined,
        (error: unknown) => {
          failure ??= error;
        },
      );
      inFlight.add(sent);
      void sent.finally(() => inFlight.delete(sent));
      while (inFlight.size >= options.maxInFlight) await Promise.race(inFlight);
      if (failure) break;
    }
    await Promise.all(inFlight);
    await producer.flush({ timeout: 60_000 });
    if (failure) {
      throw new OrderflowError(
        'ORDERFLOW_DELIVERY_FAILED',
        `producing to ${topic} failed: ${describeError(failure)}`,
        {
          cause: failure,
        },
      );
    }
    return (performance.now() - started) / 1000;
  } finally {
    await producer.disconnect();
  }
}

/** Progress of a consuming run as the benchmark observes it: the first and the last commit. */
export interface CommitTrace {
  count: number;
  firstAt: number | undefined;
  firstCount: number;
  lastAt: number | undefined;
}

export function newTrace(): CommitTrace {
  return { count: 0, firstAt: undefined, firstCount: 0, lastAt: undefined };
}

export function noteCommit(trace: CommitTrace, records: number, now = performance.now()): void {
  trace.count += records;
  if (trace.firstAt === undefined) {
    trace.firstAt = now;
    trace.firstCount = trace.count;
  }
  trace.lastAt = now;
}

/** Wait until `done()` or `timeoutMs`; true when done. */
export async function waitFor(done: () => boolean, timeoutMs: number, stepMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await sleep(stepMs);
  }
  return true;
}

export interface ConsumeResult {
  trace: CommitTrace;
  /** Distinct keys seen (equal to count when nothing was duplicated). */
  distinct: number;
  timedOut: boolean;
}

/**
 * Read `topics` from the start with read_committed (as the stages read) until `expected` records
 * arrived, then keep listening `settleMs` more, so duplicates beyond the count are seen too.
 */
export async function consumeAll(
  ctx: KafkaContext,
  topics: string[],
  expected: number,
  options: { batchSize?: number; settleMs?: number; timeoutMs: number; group: string },
): Promise<ConsumeResult> {
  const consumer = kafkaClient(ctx, 'orderflow-bench-consumer').consumer({
    ...STAGE_CONSUMER,
    'group.id': options.group,
    'js.consumer.max.batch.size': options.batchSize ?? 1000,
  } as KafkaJS.ConsumerConstructorConfig);
  const trace = newTrace();
  const keys = new Set<string>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) keys.add(m.key?.toString() ?? '');
        noteCommit(trace, batch.messages.length);
      },
    });
    const done = await waitFor(() => trace.count >= expected, options.timeoutMs);
    if (done && options.settleMs) await sleep(options.settleMs);
    return { trace, distinct: keys.size, timedOut: !done };
  } finally {
    await consumer.disconnect();
  }
}

export interface PassThroughOptions {
  input: string;
  output: string;
  /**
   * Instead of the input's bytes to `output`: the records each input record stands for, by its key
   * (the floor's split hop writes an order's pre-encoded split rows, no logic run).
   */
  fanout?: ReadonlyMap<string, readonly { topic: string; key: string; value: Buffer }[]>;
  expected: number;
  transactional: boolean;
  /** js.consumer.max.batch.size: one transaction per batch, as the stage runtime does. */
  batchSize: number;
  group: string;
  timeoutMs: number;
  /** Called once connected and subscribed, just before consuming starts. */
  onReady?: () => void;
}

/**
 * One stage's ceiling: consume, produce the same bytes unchanged and commit the offsets, with the
 * stage runtime's consumer and producer settings, one partition batch at a time, one transaction
 * per batch (or, without transactions, send then commit the offsets).
 */
export async function passThrough(
  ctx: KafkaContext,
  o: PassThroughOptions,
): Promise<{ trace: CommitTrace; timedOut: boolean; transactions: number; transactionSeconds: number }> {
  const kafka = kafkaClient(ctx, 'orderflow-bench-passthrough');
  const consumer = kafka.consumer({
    ...STAGE_CONSUMER,
    'group.id': o.group,
    'js.consumer.max.batch.size': o.batchSize,
  } as KafkaJS.ConsumerConstructorConfig);
  const producer = kafka.producer({
    ...PASSTHROUGH_PRODUCER,
    ...(o.transactional
      ? { 'transactional.id': `${o.group}-tx`, 'transaction.timeout.ms': 30_000 }
      : { 'enable.idempotence': true }),
  } as KafkaJS.ProducerConstructorConfig);
  const trace = newTrace();
  let failure: unknown;
  let transactions = 0;
  let transactionSeconds = 0;
  let stopping = false;
  // The batches ready together share one transaction, as the stage runtime's group commit does:
  // the baseline commits the way the system it bounds commits.
  const commits = new GroupCommit<PassedBatch>(
    async (group) => {
      const started = performance.now();
      try {
        if (o.transactional) {
          await producer.transaction();
          const [sent, offsets] = await Promise.allSettled([
            producer.sendBatch({ topicMessages: group.flatMap((b) => b.out) }),
            producer.sendOffsets({ consumer, topics: offsetsOf(group) }),
          ]);
          if (sent.status === 'rejected') throw sent.reason;
          if (offsets.status === 'rejected') throw offsets.reason;
          await producer.commit();
        } else {
          await producer.sendBatch({ topicMessages: group.flatMap((b) => b.out) });
          await consumer.commitOffsets(
            offsetsOf(group).flatMap(({ topic, partitions }) => partitions.map((p) => ({ topic, ...p }))),
          );
        }
      } catch (error) {
        failure ??= error;
        if (o.transactional && producer.isActive()) await producer.abort().catch(() => undefined);
        throw error;
      }
      transactions++;
      transactionSeconds += (performance.now() - started) / 1000;
    },
    () => stopping,
  );
  await producer.connect();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [o.input] });
    o.onReady?.();
    await consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: CONCURRENT_PARTITIONS,
      eachBatch: async ({ batch, resolveOffset }) => {
        const messages = batch.messages;
        if (messages.length === 0) return;
        const last = messages[messages.length - 1]!.offset;
        await commits.submit({
          out: outputsOf(messages, o),
          topic: batch.topic,
          partition: batch.partition,
          offset: nextOffset(last),
        });
        resolveOffset(last);
        noteCommit(trace, messages.length);
      },
    });
    const done = await waitFor(() => trace.count >= o.expected || failure !== undefined, o.timeoutMs);
    if (failure !== undefined) {
      throw new OrderflowError(
        'ORDERFLOW_TRANSACTION_FAILED',
        `pass-through failed: ${describeError(failure)}`,
        {
          cause: failure,
        },
      );
    }
    return { trace, timedOut: !done, transactions, transactionSeconds };
  } finally {
    stopping = true;
    await commits.idle();
    await consumer.disconnect();
    await producer.disconnect();
  }
}

/** One consumed batch of the pass-through, waiting for its group's transaction. */
interface PassedBatch {
  out: KafkaJS.TopicMessages[];
  topic: string;
  partition: number;
  offset: string;
}

/** Each partition's next offset, grouped by topic, for sendOffsets or commitOffsets. */
function offsetsOf(
  group: readonly PassedBatch[],
): { topic: string; partitions: { partition: number; offset: string }[] }[] {
  const byTopic = new Map<string, { partition: number; offset: string }[]>();
  for (const b of group) {
    let list = byTopic.get(b.topic);
    if (!list) byTopic.set(b.topic, (list = []));
    list.push({ partition: b.partition, offset: b.offset });
  }
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
}

/** What one consumed batch becomes: its bytes unchanged to `output`, or the fan-out's records. */
function outputsOf(
  messages: readonly { key: Buffer | null; value: Buffer | null }[],
  o: Pick<PassThroughOptions, 'output' | 'fanout'>,
): KafkaJS.TopicMessages[] {
  if (!o.fanout)
    return [{ topic: o.output, messages: messages.map((m) => ({ key: m.key, value: m.value })) }];
  const byTopic = new Map<string, KafkaJS.Message[]>();
  for (const m of messages) {
    const key = m.key?.toString() ?? '';
    const records = o.fanout.get(key);
    if (!records) throw new OrderflowError('ORDERFLOW_USAGE', `fan-out has no records for key ${key}`);
    for (const r of records) {
      let list = byTopic.get(r.topic);
      if (!list) byTopic.set(r.topic, (list = []));
      list.push({ key: r.key, value: r.value });
    }
  }
  return [...byTopic].map(([topic, list]) => ({ topic, messages: list }));
}
