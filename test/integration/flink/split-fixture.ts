/**
 * What the Flink split tests share: landed (finished and failed) orders as the stages would leave
 * them, producing them to a prefix's finished_orders and failed_orders, and reading a prefix's split
 * topics back as sorted "key => decoded value" lines, so two engines' outputs compare with toEqual.
 */
import { AvroSerde, readSchema } from '../../../common/serde.ts';
import { createKafka } from '../../../common/kafka.ts';
import { topicName, valueSubject, TOPICS } from '../../../schemas/topics.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { conn, log } from '../helpers.ts';
import { sampleOrders, type TestRecord } from '../processors/pipeline.ts';

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
