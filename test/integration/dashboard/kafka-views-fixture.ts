/**
 * The Kafka views test's set-up on a prefix of its own: 24 orders one second apart on unpaid (two
 * partitions), two dead letters (a good order to replay, undecodable bytes), and a dashboard on them
 * with writes allowed. Registers its own teardown: the apps, topics, pending topics, the DLQ action
 * log, the payment group and the test's sink connector.
 */
import { afterAll, beforeAll } from 'vitest';
import { ConnectClient } from '../../../common/connect-client.ts';
import { pipelineNames } from '../../../common/names.ts';
import { buildDashboard } from '../../../dashboard/server.ts';
import { WarehouseReader } from '../../../dashboard/warehouse-reader.ts';
import { deadLetterMessage } from '../../../runtime/dead-letter.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { conn, createTopics, deleteTopics, log, uniquePrefix } from '../helpers.ts';
import { deletePendingTopics, inputProducer, sampleOrders } from '../processors/pipeline.ts';
import { databaseUrl } from './seeded-warehouse.ts';

export type App = Awaited<ReturnType<typeof buildDashboard>>;
export const COUNT = 24;

export interface Rec {
  partition: number;
  offset: number;
  timestamp: number;
  key: string;
  headers: Record<string, string>;
  value: {
    order_id: string;
    order_total: string;
    order_date: string;
    shipping_info: { order_status: string };
  } | null;
  decodeError?: string;
  valueHex?: string;
}

/** The dashboard's Kafka options for the stack's test connection on `prefix`, writes allowed. */
export const dashboardKafkaOptions = (prefix: string, over: Record<string, unknown> = {}) => ({
  kafkaBootstrap: conn.kafkaBootstrap,
  registryUrl: conn.registryUrl,
  connectUrl: conn.connectUrl,
  topicPrefix: prefix,
  allowWrites: true,
  host: '127.0.0.1',
  log,
  ...over,
});

export function kafkaViewsFixture() {
  const prefix = uniquePrefix('kv');
  const names = pipelineNames(prefix);
  const unpaid = names.topic('unpaid');
  const dlq = names.dlq(unpaid);
  const T0 = Date.now() - 3_600_000;
  const db = new WarehouseReader(databaseUrl, 'public');
  const connect = new ConnectClient(conn.connectUrl);
  const apps: App[] = [];
  let app: App;

  const make = async (over: Record<string, unknown> = {}) => {
    const a = await buildDashboard({
      db,
      log,
      kafka: dashboardKafkaOptions(prefix, over),
      assetsDir: '/nonexistent',
    });
    apps.push(a);
    return a;
  };
  const get = async <T>(url: string) => {
    const r = await app.inject({ method: 'GET', url });
    return { status: r.statusCode, body: r.json<T & { message?: string; error?: string }>() };
  };
  const post = async <T>(url: string, payload: unknown, a = app, headers: Record<string, string> = {}) => {
    const r = await a.inject({ method: 'POST', url, payload: payload as object, headers });
    return { status: r.statusCode, body: r.json<T & { message?: string; error?: string }>() };
  };
  const fx = {
    prefix,
    names,
    unpaid,
    dlq,
    T0,
    connect,
    make,
    get,
    post,
    /** The orders written to unpaid, set before the first test. */
    orders: [] as Order[],
    /** The good order in the dead-letter topic, set before the first test. */
    replayOrder: undefined as unknown as Order,
  };

  beforeAll(async () => {
    await createTopics(prefix, 2);
    const all = sampleOrders(COUNT + 1, 91);
    fx.orders = all.slice(0, COUNT);
    fx.replayOrder = all[COUNT]!;
    const input = await inputProducer(prefix);
    // One second apart, oldest first, so a seek by time has one right answer per partition.
    await input.sendRaw(
      unpaid,
      fx.orders.map((o, i) => ({
        key: o.order_id,
        value: input.encoder.encode(o),
        timestamp: String(T0 + i * 1000),
      })),
    );
    // Two dead letters as a stage writes them: a good order (to replay) and undecodable bytes.
    const source = (offset: string) =>
      ({ topic: unpaid, partition: 0, offset, key: null, timestamp: '0' }) as never;
    await input.sendRaw(dlq, [
      {
        ...deadLetterMessage(
          source('9001'),
          input.encoder.encode(fx.replayOrder),
          undefined,
          'payment',
          'ORDERFLOW_INVARIANT_VIOLATED',
          'test: a repaired order',
        ),
        key: fx.replayOrder.order_id,
      },
      {
        ...deadLetterMessage(
          source('9002'),
          Buffer.from('not avro'),
          undefined,
          'payment',
          'ORDERFLOW_DECODE_FAILED',
          'test: poison',
        ),
        key: 'poison-1',
      },
    ]);
    await input.close();
    app = await make();
  });

  afterAll(async () => {
    await connect.delete(names.sinkConnector('orders')).catch(() => undefined);
    for (const a of apps) await a.close();
    await db.close();
    await deleteTopics(prefix).catch(() => undefined);
    await deletePendingTopics(prefix).catch(() => undefined);
    const admin = (await import('../../../common/kafka.ts'))
      .createKafka(conn.kafkaBootstrap, 'kv-cleanup', log)
      .admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [names.dlqActions] }).catch(() => undefined);
    await admin.deleteGroups([names.group('payment')]).catch(() => undefined);
    await admin.disconnect();
  });
  return fx;
}
