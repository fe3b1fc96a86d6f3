/**
 * What the Flink split tests share: landed (finished and failed) orders as the stages would leave
 * them, producing them to a prefix's finished_orders and failed_orders, and reading a prefix's split
 * topics back as sorted "key => decoded value" lines, so two engines' outputs compare with toEqual;
 * and the comparison itself (splitComparison): the TypeScript splitter and the Flink job side by
 * side, each on its own prefix, with the set-up and clean-up of both.
 */
import { afterAll, beforeAll } from 'vitest';
import { loadSettings } from '../../../common/config.ts';
import { catalogSession } from '../../../common/flink-session.ts';
import { AvroSerde, readSchema } from '../../../common/serde.ts';
import { createKafka } from '../../../common/kafka.ts';
import { sqlSettings } from '../../../flink/settings.ts';
import { cancelJob, submitSplit } from '../../../flink/split-job.ts';
import { topicName, valueSubject, TOPICS } from '../../../schemas/topics.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { startSplitter } from '../../../splitter/service.ts';
import { stackUp } from '../../../stack/stack.ts';
import { conn, createTopics, deleteTopics, log, uniquePrefix } from '../helpers.ts';
import { readTopics, sampleOrders, total, type TestRecord } from '../processors/pipeline.ts';

export const flinkEnv = { ...process.env, ORDERFLOW_FLINK: 'on' };
export const SPLIT = ['orders', 'customers', 'orderItems'] as const;

export interface Landed {
  finished: Order[];
  failed: Order[];
}

/**
 * `count` orders (seeded): three in four finished (delivered), the rest failed at payment. A finished
 * store order is paid at the till, as the payment stage does: a tender, no shipping leg (the default
 * seed's 40 orders hold one, so the split's tender column carries a value).
 */
export function landedOrders(count = 40, seed = 23): Landed {
  const orders = sampleOrders(count, seed);
  const cut = Math.round(count * 0.75);
  const finished = orders.slice(0, cut).map((o): Order => {
    if (o.channel === 'store')
      return {
        ...o,
        payment_info: {
          payment_status: true,
          payment_method: null,
          payment_date: o.order_date,
          tender: 'CASH',
        },
        shipping_info: {
          ...o.shipping_info,
          express_shipping: false,
          order_status: 'DELIVERED',
          shipped_date: null,
          eta: null,
          finished_date: o.order_date,
        },
      };
    return {
      ...o,
      shipping_info: {
        ...o.shipping_info,
        order_status: 'DELIVERED' as const,
        finished_date: o.order_date + 86_400_000,
      },
    };
  });
  const failed = orders.slice(cut).map((o) => ({
    ...o,
    shipping_info: {
      ...o.shipping_info,
      order_status: 'TIMED_OUT' as const,
      finished_date: o.order_date + 7 * 86_400_000,
    },
    failure: {
      stage: 'payment' as const,
      reason: "payment didn't arrive within 7 days",
      failed_at: o.order_date + 7 * 86_400_000,
    },
  }));
  return { finished, failed };
}

/** Records the split writes for these orders: one orders and one customers record each, plus a line each. */
export function expectedRecords(input: Landed): number {
  const all = [...input.finished, ...input.failed];
  return 2 * all.length + all.reduce((n, o) => n + o.item_info.length, 0);
}

/** Produce the orders to the prefix's finished_orders and failed_orders. */
export async function produceLanded(prefix: string, input: Landed): Promise<void> {
  const serde = new AvroSerde(conn.registryUrl);
  const producer = createKafka(conn.kafkaBootstrap, 'orderflow-test-flink-input', log).producer({});
  await producer.connect();
  try {
    for (const [key, orders] of [
      ['finished', input.finished],
      ['failed', input.failed],
    ] as const) {
      if (orders.length === 0) continue;
      const topic = topicName(key, prefix);
      const encoder = await serde.writer<Order>(valueSubject(topic), readSchema('order.avsc'));
      await producer.send({
        topic,
        messages: orders.map((o) => ({ key: o.order_id, value: encoder.encode(o) })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/** The split topics of a prefix. */
export function splitTopics(prefix: string): string[] {
  return SPLIT.map((k) => topicName(k, prefix));
}

/** Each split topic's records as sorted "key => decoded value" lines. */
export async function decoded(
  prefix: string,
  records: Map<string, TestRecord[]>,
): Promise<Record<string, string[]>> {
  const serde = new AvroSerde(conn.registryUrl);
  const out: Record<string, string[]> = {};
  for (const key of SPLIT) {
    const decoder = serde.reader<unknown>(readSchema(TOPICS[key].schema));
    const recs = records.get(topicName(key, prefix)) ?? [];
    await decoder.prepare(recs.map((r) => r.value));
    out[key] = recs.map((r) => `${r.key} => ${JSON.stringify(decoder.decode(r.value))}`).sort();
  }
  return out;
}

/** A side of a split comparison: the TypeScript splitter's prefix or the Flink job's. */
export type Side = 'ts' | 'flink';

/**
 * The TypeScript splitter and the Flink split side by side, each on a prefix of its own (`tags` name
 * them). Registers its own hooks: before the tests the stack runs with Flink and both prefixes'
 * topics exist; after them `beforeCleanUp` runs (when given), the job `submit` started is cancelled
 * and both prefixes' topics are deleted.
 */
export function splitComparison(tags: Record<Side, string>, beforeCleanUp?: () => Promise<unknown>) {
  const prefixes: Record<Side, string> = { ts: uniquePrefix(tags.ts), flink: uniquePrefix(tags.flink) };
  const settings = { ...loadSettings(sqlSettings, flinkEnv), topicPrefix: prefixes.flink };
  const rest = `http://127.0.0.1:${settings.flinkRestPort}`;
  let jobId: string | undefined;
  beforeAll(async () => {
    await stackUp(() => undefined, flinkEnv);
    await Promise.all([createTopics(prefixes.ts), createTopics(prefixes.flink)]);
  });
  afterAll(async () => {
    await beforeCleanUp?.();
    if (jobId) await cancelJob(rest, jobId);
    await Promise.all([deleteTopics(prefixes.ts), deleteTopics(prefixes.flink)]);
  });
  return {
    prefixes,
    /** The Flink REST API of the stack. */
    rest,
    /** Submit the split on the Flink side's prefix, with `overrides` of the job's configuration. */
    async submit(overrides?: Record<string, string>): Promise<{ jobId: string; submitted: boolean }> {
      const submitted = await submitSplit(settings, catalogSession, overrides);
      jobId = submitted.jobId;
      return submitted;
    },
    /** The TypeScript splitter on its side's prefix, in this process (the caller stops it). */
    startSplitter: (instanceId: string) =>
      startSplitter({
        kafkaBootstrap: conn.kafkaBootstrap,
        registryUrl: conn.registryUrl,
        topicPrefix: prefixes.ts,
        instanceId,
        batchSize: 100,
        log,
      }),
    /** Produce landed orders to a side's finished_orders and failed_orders. */
    produce: (side: Side, input: Landed) => produceLanded(prefixes[side], input),
    /** Read a side's split topics until they hold `atLeast` records (options as readTopics's). */
    read: (side: Side, atLeast: number, options?: Parameters<typeof readTopics>[2]) =>
      readTopics(splitTopics(prefixes[side]), (r) => total(r) >= atLeast, options),
    /** A side's split records as sorted "key => decoded value" lines per split topic. */
    decoded: (side: Side, records: Map<string, TestRecord[]>) => decoded(prefixes[side], records),
  };
}
