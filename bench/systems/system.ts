/**
 * What a benchmarked system is and what one run of it returns, and the small pieces every run
 * shares: the run's topic prefix and schema, the exact count of a topic, topic clean-up, and how a
 * commit trace or a timed interval becomes a run's outcome. Each run uses its own topics (unique
 * prefix), its own consumer groups and its own PostgreSQL schema; set-up and clean-up are not timed;
 * every run ends with an exact count check.
 */
import type { Logger } from '../../common/logger.ts';
import { KafkaOrderSink } from '../../producer/kafka-sink.ts';
import { topicName, type TopicKey } from '../../schemas/topics.ts';
import type { Order } from '../../schemas/types.generated.ts';
import type { BenchInput } from '../input.ts';
import {
  createTopics,
  deletePrefixTopics,
  kafkaClient,
  type KafkaContext,
  type newTrace,
} from '../kafka-io.ts';
import { rateFromCommits } from '../stats.ts';
import type { SystemKind } from '../types.ts';
import type { Probe } from './probe.ts';

export interface BenchContext {
  kafka: KafkaContext;
  registryUrl: string;
  connectUrl: string;
  databaseUrl: string;
  log: Logger;
  /** Short id of this invocation, part of every prefix, group and schema. */
  runId: string;
  seed: number;
  /** Records per consumed batch and transaction of the stages and pass-through. */
  batchSize: number;
  /** Stage instances per stage (the instances sweep). */
  instances: number;
  /** Input of the produce-side systems (raw produce, codec, generator): generator orders only. */
  produceInput: BenchInput;
  /** Input of the consuming systems (consume, pass-through, stages, splitter), all forms. */
  input: BenchInput;
  /** Input for the sink and the COPY/upsert baselines. */
  sinkInput: BenchInput;
  /** Orders of one end-to-end run. */
  e2eOrders: number;
  /** Sink connector settings that differ from connect/sinks/*.json (e.g. batch.size). */
  sinkOverrides: Record<string, string>;
  /** Sink settings as rendered (filled in by the sink runs, for the report). */
  sinkConfig?: Record<string, string>;
}

export interface RunOutcome {
  records: number;
  /** Seconds of the measured interval (NaN when the run did not complete). */
  seconds: number;
  rate: number;
  valid: boolean;
  note?: string;
  eventLoopP99Ms?: number;
  extra?: Record<string, number | string>;
}

export interface SystemDef {
  id: string;
  kind: SystemKind;
  title: string;
  unit: string;
  method: string;
  /** Orders per counted record (1 for orders; orders/rows for the database systems). */
  ordersPerRecord: (ctx: BenchContext) => number;
  run: (ctx: BenchContext, probe: Probe, run: string) => Promise<RunOutcome>;
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export const prefixOf = (ctx: BenchContext, run: string): string => `bench_${ctx.runId}_${run}_`;
export const schemaOf = (ctx: BenchContext, run: string): string =>
  `bench_${ctx.runId}_${run}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');

/** Sum of the high watermarks of a topic: the exact count of a non-transactional topic. */
export async function topicEnd(ctx: BenchContext, topic: string): Promise<number> {
  const admin = kafkaClient(ctx.kafka, 'orderflow-bench-admin').admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

export async function withTopics<T>(ctx: BenchContext, prefix: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    await deletePrefixTopics(ctx.kafka, prefix);
  }
}

export function outcomeOf(records: number, seconds: number, valid: boolean, note?: string): RunOutcome {
  return {
    records,
    seconds,
    rate: seconds > 0 ? records / seconds : Number.NaN,
    valid,
    ...(note ? { note } : {}),
  };
}

/** Timeouts scale with the work (the machine is shared and slow runs must still end). */
export function timeoutFor(records: number, minRate: number, floorMs = 60_000): number {
  return floorMs + Math.ceil((records / minRate) * 1000);
}

/** A run's outcome from its first/last commit trace, valid only with exactly `expected` distinct records. */
export function traceOutcome(
  trace: ReturnType<typeof newTrace>,
  expected: number,
  distinct: number,
  timedOut: boolean,
): RunOutcome {
  const rate = rateFromCommits(trace.count, trace.firstCount, trace.firstAt ?? 0, trace.lastAt ?? 0);
  const valid = !timedOut && trace.count === expected && distinct === expected;
  const note = timedOut
    ? `timed out at ${trace.count}/${expected}`
    : valid
      ? undefined
      : `${trace.count} records, ${distinct} distinct, expected ${expected}`;
  return {
    records: expected,
    seconds: ((trace.lastAt ?? 0) - (trace.firstAt ?? 0)) / 1000,
    rate,
    valid,
    ...(note ? { note } : {}),
  };
}

/** CPU seconds per 1,000 orders, to three decimals. */
export function perThousand(cpuSeconds: number, orders: number): number {
  return orders > 0 ? round3((cpuSeconds / orders) * 1000) : Number.NaN;
}

/**
 * The generator's Kafka sink on the run's topics, with the generator's batching (500 orders per
 * send, 32 sends in flight) unless `sending` says otherwise.
 */
export function openOrderSink(
  ctx: BenchContext,
  prefix: string,
  sending: { maxInFlight: number; batchSize: number } = { maxInFlight: 32, batchSize: 500 },
): Promise<KafkaOrderSink> {
  return KafkaOrderSink.open({
    kafkaBootstrap: ctx.kafka.bootstrap,
    registryUrl: ctx.registryUrl,
    topicPrefix: prefix,
    retryBudgetMs: 30_000,
    ...sending,
    log: ctx.log,
  });
}

/** Write every order to the sink as the generator does (waiting when it asks, yielding now and then), then flush. */
export async function writeOrders(sink: KafkaOrderSink, orders: Iterable<Order>): Promise<void> {
  let n = 0;
  for (const order of orders) {
    const pending = sink.write(order);
    if (pending) await pending;
    if (++n % 2000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await sink.flush();
}

/**
 * What a system says of itself; unit and ordersPerRecord default to orders (orders/s, one per
 * record); `topics` are the lifecycle topics every run starts with, created empty.
 */
export type SystemInfo = Omit<SystemDef, 'run' | 'unit' | 'ordersPerRecord'> &
  Partial<Pick<SystemDef, 'unit' | 'ordersPerRecord'>> & { topics?: readonly TopicKey[] };

/**
 * A system whose every run has a topic prefix of its own (`bench_<runId>_<run>_`), starts with the
 * info's `topics` created under it, and deletes every topic under it when the run ends, whatever
 * the outcome: `body` gets the run's name, its prefix and the names of those topics, in order.
 */
export function topicSystem(
  info: SystemInfo,
  body: (
    ctx: BenchContext,
    probe: Probe,
    run: { run: string; prefix: string; topics: string[] },
  ) => Promise<RunOutcome>,
): SystemDef {
  const { topics: keys = [], ...def } = info;
  return {
    unit: 'orders/s',
    ordersPerRecord: () => 1,
    ...def,
    run: (ctx, probe, run) => {
      const prefix = prefixOf(ctx, run);
      return withTopics(ctx, prefix, async () => {
        const topics = keys.map((key) => topicName(key, prefix));
        if (topics.length > 0) await createTopics(ctx.kafka, topics);
        return body(ctx, probe, { run, prefix, topics });
      });
    },
  };
}
