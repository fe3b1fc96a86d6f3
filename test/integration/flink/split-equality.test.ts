/**
 * The Flink SQL split (flink/split.sql, on the stack's Flink cluster) and the TypeScript splitter,
 * each on its own topic prefix, read the same finished and failed orders; their orders, customers
 * and order_items topics must hold the same records: same keys, same decoded values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../../common/config.ts';
import { AvroSerde, readSchema } from '../../../common/serde.ts';
import { createKafka } from '../../../common/kafka.ts';
import { catalogSession } from '../../../flink/command.ts';
import { sqlSettings } from '../../../flink/settings.ts';
import { cancelJob, submitSplit } from '../../../flink/split-job.ts';
import { topicName, valueSubject, TOPICS } from '../../../schemas/topics.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { startSplitter } from '../../../splitter/service.ts';
import { stackUp } from '../../../stack/stack.ts';
import { conn, createTopics, deleteTopics, log, uniquePrefix } from '../helpers.ts';
import { readTopics, sampleOrders, total, type TestRecord } from '../processors/pipeline.ts';

const flinkEnv = { ...process.env, ORDERFLOW_FLINK: 'on' };
const SPLIT = ['orders', 'customers', 'orderItems'] as const;

/** 40 orders: 30 finished (delivered), 10 failed at payment, as the stages would leave them. */
function landedOrders(): { finished: Order[]; failed: Order[] } {
  const orders = sampleOrders(40, 23);
  const finished = orders.slice(0, 30).map((o) => ({
    ...o,
    shipping_info: {
      ...o.shipping_info,
      order_status: 'DELIVERED' as const,
      finished_date: o.order_date + 86_400_000,
    },
  }));
  const failed = orders.slice(30).map((o) => ({
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

async function produce(prefix: string, input: { finished: Order[]; failed: Order[] }): Promise<void> {
  const serde = new AvroSerde(conn.registryUrl);
  const producer = createKafka(conn.kafkaBootstrap, 'orderflow-test-flink-input', log).producer({});
  await producer.connect();
  try {
    for (const [key, orders] of [
      ['finished', input.finished],
      ['failed', input.failed],
    ] as const) {
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

/** Each split topic's records as sorted "key => decoded value" lines. */
async function decoded(
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

describe('the Flink SQL split', () => {
  const tsPrefix = uniquePrefix('fsts');
  const flinkPrefix = uniquePrefix('fsfl');
  const input = landedOrders();
  const lines = [...input.finished, ...input.failed].reduce((n, o) => n + o.item_info.length, 0);
  const expected = 2 * (input.finished.length + input.failed.length) + lines;
  let flinkJob: string | undefined;
  const s = { ...loadSettings(sqlSettings, flinkEnv), topicPrefix: flinkPrefix };

  beforeAll(async () => {
    await stackUp(() => undefined, flinkEnv);
    await Promise.all([createTopics(tsPrefix), createTopics(flinkPrefix)]);
  });

  afterAll(async () => {
    if (flinkJob) await cancelJob(`http://127.0.0.1:${s.flinkRestPort}`, flinkJob);
    await Promise.all([deleteTopics(tsPrefix), deleteTopics(flinkPrefix)]);
  });

  it('writes the same keys and values as the TypeScript splitter', async () => {
    await Promise.all([produce(tsPrefix, input), produce(flinkPrefix, input)]);
    const splitter = await startSplitter({
      kafkaBootstrap: conn.kafkaBootstrap,
      registryUrl: conn.registryUrl,
      topicPrefix: tsPrefix,
      instanceId: 'equality',
      batchSize: 100,
      log,
    });
    try {
      const submitted = await submitSplit(s, catalogSession);
      flinkJob = submitted.jobId;
      expect(submitted.submitted).toBe(true);
      const topicsOf = (p: string) => SPLIT.map((k) => topicName(k, p));
      const [fromTs, fromFlink] = await Promise.all([
        readTopics(topicsOf(tsPrefix), (r) => total(r) >= expected, { timeoutMs: 90_000 }),
        readTopics(topicsOf(flinkPrefix), (r) => total(r) >= expected, { timeoutMs: 90_000 }),
      ]);
      expect(total(fromTs)).toBe(expected);
      expect(total(fromFlink)).toBe(expected);
      const a = await decoded(tsPrefix, fromTs);
      const b = await decoded(flinkPrefix, fromFlink);
      expect(b.orders).toHaveLength(40);
      expect(b.orderItems).toHaveLength(lines);
      expect(b).toEqual(a);
      // Failed orders carry their failure columns through.
      expect(b.orders!.filter((l) => l.includes('"failure_stage":"payment"'))).toHaveLength(10);
    } finally {
      await splitter.stop();
    }
  });
});
