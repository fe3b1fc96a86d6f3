import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect } from 'vitest';
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { randomBytes } from 'node:crypto';
import { createKafka } from '../../../common/kafka.ts';
import { AvroSerde, readSchema, type Encoder } from '../../../common/serde.ts';
import { makeConfig } from '../../../simulation/config.ts';
import { generateOrders } from '../../../simulation/model/generator.ts';
import { startOrderStage, type RunningStage } from '../../../processors/service.ts';
import type { StageRuntime } from '../../../runtime/index.ts';
import { startSplitter } from '../../../splitter/service.ts';
import { pipelineNames } from '../../../common/names.ts';
import { processorSettings, type ProcessorSettings } from '../../../processors/settings.ts';
import { STAGE_NAMES } from '../../../processors/stages.ts';
import { loadSettings } from '../../../common/config.ts';
import { topicName, valueSubject, type TopicKey } from '../../../schemas/topics.ts';
import type { Order, Stage } from '../../../schemas/types.generated.ts';
import { conn, createTopics, deleteTopics, deleteTopicsWhere, log, uniquePrefix } from '../helpers.ts';
import { spawnStage, type ServiceRun } from '../services.ts';

export const ORDER_SCHEMA = readSchema('order.avsc');

/**
 * Where the payment stage writes: paid_orders, failed_orders (timed out), and finished_orders for a
 * store order paid at the till (the sample orders have about one in twelve).
 */
export const PAYMENT_OUTPUTS = ['paid', 'finished', 'failed'] as const;

/** `count` generator orders (seeded), as the producer service would emit them. */
export function sampleOrders(count: number, seed = 17): Order[] {
  const config = makeConfig({ seed, count, from: Date.UTC(2025, 0, 1), until: Date.UTC(2035, 0, 1) });
  const orders = [...generateOrders(config, { now: () => Date.UTC(2035, 0, 1) })];
  if (orders.length !== count) throw new Error(`the generator made ${orders.length} orders, not ${count}`);
  return orders;
}

/**
 * `count` seeded sample orders whose order dates are spread evenly over `spreadMs` real milliseconds
 * after `anchor` at the pacing `speed` factor (a live-paced stage releases them over that span).
 */
export function pacedOrders(
  count: number,
  seed: number,
  o: { anchor: number; spreadMs: number; speed: number },
): Order[] {
  return sampleOrders(count, seed).map((order, i) => ({
    ...order,
    order_date: o.anchor + Math.floor((i * o.spreadMs * o.speed) / count),
  }));
}

export interface TestRecord {
  key: string;
  value: Buffer | null;
  headers: KafkaJS.IHeaders;
  partition: number;
  offset: string;
  /** Kafka timestamp (create time, UTC ms). */
  timestamp: number;
}

/** A plain (idempotent, non-transactional) producer for test input. */
export async function inputProducer(prefix: string): Promise<{
  encoder: Encoder<Order>;
  send(orders: Order[]): Promise<void>;
  sendRaw(topic: string, messages: KafkaJS.Message[]): Promise<void>;
  close(): Promise<void>;
}> {
  const serde = new AvroSerde(conn.registryUrl);
  const topic = topicName('unpaid', prefix);
  const encoder = await serde.writer<Order>(valueSubject(topic), ORDER_SCHEMA);
  const producer = createKafka(conn.kafkaBootstrap, 'orderflow-test-input', log).producer({
    'enable.idempotence': true,
    'linger.ms': 5,
    partitioner: 'murmur2_random',
  } as KafkaJS.ProducerConstructorConfig);
  await producer.connect();
  return {
    encoder,
    async send(orders) {
      for (let i = 0; i < orders.length; i += 1000) {
        const messages = orders
          .slice(i, i + 1000)
          .map((o) => ({ key: o.order_id, value: encoder.encode(o) }));
        await producer.send({ topic, messages });
      }
    },
    async sendRaw(t, messages) {
      await producer.send({ topic: t, messages });
    },
    close: () => producer.disconnect(),
  };
}

/**
 * Read `topics` from the beginning (read_committed unless told otherwise, a fresh group) until
 * `done(records)` holds and nothing new arrived for `settleMs` since the partitions were assigned
 * (so late duplicates would still be seen), or `timeoutMs` passes.
 *
 * Each record is kept once per partition and offset: a duplicate in a topic has an offset of its
 * own, while a record delivered again to this reader (its group rebalanced before it committed
 * anything, so a partition starts over from the beginning) has the same one and is not a duplicate.
 */
export async function readTopics(
  topics: string[],
  done: (records: Map<string, TestRecord[]>) => boolean,
  {
    timeoutMs = 120_000,
    settleMs = 3000,
    isolation = 'read_committed',
  }: { timeoutMs?: number; settleMs?: number; isolation?: 'read_committed' | 'read_uncommitted' } = {},
): Promise<Map<string, TestRecord[]>> {
  const records = new Map<string, TestRecord[]>(topics.map((t) => [t, []]));
  const seen = new Map<string, Set<string>>(topics.map((t) => [t, new Set()]));
  let redelivered = 0;
  const consumer = createKafka(conn.kafkaBootstrap, 'orderflow-test-reader', log).consumer({
    'group.id': `test-reader-${randomBytes(4).toString('hex')}`,
    'auto.offset.reset': 'earliest',
    'enable.auto.commit': false,
    'isolation.level': isolation,
    'js.consumer.max.batch.size': 1000,
  } as KafkaJS.ConsumerConstructorConfig);
  await consumer.connect();
  await consumer.subscribe({ topics });
  let lastArrival = Date.now();
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const list = records.get(batch.topic)!;
      const offsets = seen.get(batch.topic)!;
      for (const m of batch.messages) {
        const at = `${batch.partition}:${m.offset}`;
        if (offsets.has(at)) {
          redelivered++;
          continue;
        }
        offsets.add(at);
        list.push({
          key: m.key?.toString() ?? '',
          value: m.value,
          headers: m.headers ?? {},
          partition: batch.partition,
          offset: m.offset,
          timestamp: Number(m.timestamp),
        });
      }
      lastArrival = Date.now();
    },
  });
  const deadline = Date.now() + timeoutMs;
  let assignedAt = 0;
  try {
    while (Date.now() < deadline) {
      // Settling counts only from the moment partitions are assigned (joining a group takes seconds).
      if (assignedAt === 0 && consumer.assignment().length > 0) assignedAt = Date.now();
      const quietSince = Math.max(lastArrival, assignedAt);
      if (assignedAt > 0 && done(records) && Date.now() - quietSince >= settleMs) break;
      await sleep(250);
    }
  } finally {
    await consumer.disconnect();
  }
  if (redelivered > 0) log.info({ topics, redelivered }, 'test reader: records delivered again, kept once');
  return records;
}

/** Total records across topics. */
export function total(records: Map<string, TestRecord[]>, topics?: string[]): number {
  let n = 0;
  for (const [t, list] of records) if (!topics || topics.includes(t)) n += list.length;
  return n;
}

/** Settings for an in-process stage in a test: fresh group, random port, given prefix. */
export function testSettings(
  stage: Stage,
  prefix: string,
  overrides: Partial<ProcessorSettings> = {},
): ProcessorSettings {
  const base = loadSettings(processorSettings(stage), {}) as ProcessorSettings;
  return {
    ...base,
    kafkaBootstrap: conn.kafkaBootstrap,
    registryUrl: conn.registryUrl,
    topicPrefix: prefix,
    port: 0,
    group: `${prefix}group-${stage}`,
    instanceId: `${prefix}${stage}-${randomBytes(3).toString('hex')}`,
    seed: 7,
    ...overrides,
  };
}

/** Start a stage in this process (fatal errors fail the test loudly). */
export async function startStage(stage: Stage, settings: ProcessorSettings): Promise<RunningStage> {
  return startOrderStage(stage, settings, log.child({ stage }), (error) => {
    throw error;
  });
}

/**
 * Start a service and kill it with SIGKILL `kills` times, each once it has committed a batch and a
 * little later into the stream each time; after the first kill `outputs` must hold some but not all
 * of the `expected` records (the kill really landed mid-stream).
 */
export async function killMidStream(
  spawn: () => ServiceRun,
  kills: number,
  outputs: string[],
  expected: number,
): Promise<void> {
  for (let kill = 0; kill < kills; kill++) {
    const run = spawn();
    await run.logged('batch committed');
    await sleep(150 * kill); // land at different points of the stream
    run.child.kill('SIGKILL');
    await run.exit;
    if (kill === 0) {
      const sofar = await readTopics(outputs, () => true, { settleMs: 1000, timeoutMs: 15_000 });
      expect(total(sofar)).toBeGreaterThan(0);
      expect(total(sofar)).toBeLessThan(expected);
    }
  }
}

/** A splitter for a test's pipeline, under an instance id of its own; a fatal error is logged. */
export function startTestSplitter(
  prefix: string,
  kafkaBootstrap = conn.kafkaBootstrap,
): Promise<StageRuntime<Order>> {
  return startSplitter({
    kafkaBootstrap,
    registryUrl: conn.registryUrl,
    topicPrefix: prefix,
    instanceId: `test-${randomBytes(3).toString('hex')}`,
    batchSize: 500,
    log,
    onFatal: (error) => log.error({ err: error }, 'splitter failed'),
  });
}

/** Decode an order value (Confluent framing) with the order schema. */
export function decodeOrder(encoder: Encoder<Order>, value: Buffer | null): Order {
  return encoder.type.fromBuffer(value!.subarray(5)) as Order;
}

/** Delete the stages' internal pending topics of `prefix` (live pacing creates them). */
export async function deletePendingTopics(prefix: string): Promise<void> {
  const wanted = new Set(STAGE_NAMES.map((stage) => pipelineNames(prefix).pending(stage)));
  await deleteTopicsWhere((t) => wanted.has(t));
}

/** The wall time at which a stage output is due at `speed` from `anchor` (as the runtime computes it). */
export function dueAtSpeed(eventTime: number, anchor: number, speed: number): number {
  return eventTime <= anchor ? eventTime : anchor + (eventTime - anchor) / speed;
}

/** The event time of a payment-stage output (payment_date, or failed_at for a failed order). */
export function paymentEventTime(order: Order): number {
  return order.failure ? order.failure.failed_at : order.payment_info.payment_date!;
}

/**
 * Wait until `condition()` holds, polling every `pollMs`; fail naming `what` after `timeoutMs`.
 * (A poll of 1 ms catches short states, such as a release transaction in progress.)
 */
export async function until(
  condition: () => boolean,
  what: string,
  { timeoutMs = 60_000, pollMs = 100 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(pollMs);
  }
}

/** The distinct order ids among `records`' values. */
export function orderIds(encoder: Encoder<Order>, records: Map<string, TestRecord[]>): Set<string> {
  const ids = new Set<string>();
  for (const list of records.values()) for (const r of list) ids.add(decodeOrder(encoder, r.value).order_id);
  return ids;
}

/**
 * Payment-stage outputs under live pacing: exactly `n` records, `n` distinct orders, and none written
 * before its event time was due at `speed` from `anchor`.
 */
export function expectPacedExactlyOnce(
  encoder: Encoder<Order>,
  records: Map<string, TestRecord[]>,
  n: number,
  anchor: number,
  speed: number,
): void {
  expect(total(records)).toBe(n); // none lost, none twice
  for (const list of records.values()) {
    for (const r of list) {
      const order = decodeOrder(encoder, r.value);
      expect(r.timestamp).toBeGreaterThanOrEqual(
        Math.floor(dueAtSpeed(paymentEventTime(order), anchor, speed)),
      );
    }
  }
  expect(orderIds(encoder, records).size).toBe(n);
}

/**
 * A pipeline of the test file's own: a unique prefix whose topics, dead-letter twins and pending
 * topics exist for the file and are deleted after it (the fixture registers its own teardown),
 * stages in this process that are stopped after the file, and stages as child processes that are
 * killed after it if still running. A new integration test is then a few lines:
 *
 *   const pipe = testPipeline('mytest');
 *   it('...', async () => {
 *     const encoder = await pipe.load(sampleOrders(100));
 *     await pipe.startStage('payment');
 *     const records = await readTopics(pipe.topics('paid', 'failed'), (r) => total(r) >= 100);
 *   });
 */
export function testPipeline(tag: string) {
  const prefix = uniquePrefix(tag);
  const stages: RunningStage[] = [];
  const children: ServiceRun[] = [];
  afterAll(async () => {
    for (const run of children.splice(0)) {
      if (run.child.exitCode !== null || run.child.signalCode !== null) continue;
      run.child.kill('SIGKILL');
      await run.exit;
    }
    for (const s of stages.splice(0)) await s.stop();
    await deleteTopics(prefix);
    await deletePendingTopics(prefix);
  });
  /** Produce `orders` to this pipeline's unpaid_orders; returns the encoder (it decodes the outputs too). */
  async function send(orders: Order[]): Promise<Encoder<Order>> {
    const input = await inputProducer(prefix);
    try {
      await input.send(orders);
    } finally {
      await input.close();
    }
    return input.encoder;
  }
  return {
    prefix,
    names: pipelineNames(prefix),
    /** The pipeline's topics, with `partitions` partitions each (default: the helpers' default). */
    createTopics: (partitions?: number) => createTopics(prefix, partitions),
    /** Lifecycle topic names of this pipeline, e.g. topics('paid', 'failed'). */
    topics: (...kinds: TopicKey[]) => kinds.map((k) => topicName(k, prefix)),
    send,
    /** Create the pipeline's topics, then produce `orders` to its unpaid_orders; returns the encoder. */
    async load(orders: Order[], partitions?: number): Promise<Encoder<Order>> {
      await createTopics(prefix, partitions);
      return send(orders);
    },
    /**
     * Create the topics, then produce `count` seeded paced orders (pacedOrders) whose pacing anchor
     * is `startsInMs` after the topics exist (time for the stage to start); returns the anchor, the
     * encoder and the pacing settings a stage in this process releases them with.
     */
    async loadPaced(
      count: number,
      seed: number,
      o: { startsInMs: number; spreadMs: number; speed: number },
    ): Promise<{ anchor: number; encoder: Encoder<Order>; pacing: Partial<ProcessorSettings> }> {
      await createTopics(prefix);
      const anchor = Date.now() + o.startsInMs;
      const orders = pacedOrders(count, seed, { anchor, spreadMs: o.spreadMs, speed: o.speed });
      return { anchor, encoder: await send(orders), pacing: { speed: o.speed, anchor: String(anchor) } };
    },
    /**
     * Run a stage of this pipeline as a child process, as an operator runs it (`spawnStage` in
     * services.ts); it is killed after the file if it is still running.
     */
    spawnStage(stage: Stage, instanceId: string, extra: string[] = []): ServiceRun {
      const run = spawnStage(stage, prefix, instanceId, extra);
      children.push(run);
      return run;
    },
    /** Start a stage of this pipeline in this process; it is stopped after the file. */
    async startStage(stage: Stage, overrides: Partial<ProcessorSettings> = {}): Promise<RunningStage> {
      const running = await startStage(stage, testSettings(stage, prefix, overrides));
      stages.push(running);
      return running;
    },
    /** Stop a stage now (gracefully: its partitions move to the others). */
    async stopStage(running: RunningStage): Promise<void> {
      stages.splice(stages.indexOf(running), 1);
      await running.stop();
    },
  };
}
