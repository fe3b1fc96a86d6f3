import { setTimeout as sleep } from 'node:timers/promises';
/**
 * The live pipeline view against the real stack: records on prefixed topics, a consumer group's
 * committed offsets, a dead-lettered record, a processor's /metrics (a local HTTP server serving
 * the processors' metric names) and Kafka Connect.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import rdkafka, { type KafkaJS } from '@confluentinc/kafka-javascript';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka, type Producer } from '../../../common/kafka.ts';
import { AvroSerde, readSchema, type Encoder } from '../../../common/serde.ts';
import { PipelineWatcher } from '../../../dashboard/live/pipeline.ts';
import { buildDashboard } from '../../../dashboard/server.ts';
import { WarehouseReader } from '../../../dashboard/warehouse-reader.ts';
import { makeConfig } from '../../../simulation/config.ts';
import { generateOrders } from '../../../simulation/model/generator.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { dlqTopic, topicName, valueSubject } from '../../../schemas/topics.ts';
import { conn, createTopics, deleteTopics, log, uniquePrefix } from '../helpers.ts';
import { databaseUrl } from './seeded-warehouse.ts';

const METRICS = `# TYPE orderflow_stage_records_in_total counter
orderflow_stage_records_in_total{stage="payment"} 42
orderflow_stage_records_out_total{stage="payment",topic="paid_orders"} 30
orderflow_stage_records_out_total{stage="payment",topic="failed_orders"} 11
orderflow_stage_records_failed_total{stage="payment"} 11
orderflow_stage_records_dlq_total{stage="payment",code="ORDERFLOW_DECODE_FAILED"} 1
`;

function orders(seed: number, count: number): Order[] {
  return [
    ...generateOrders(makeConfig({ seed, from: Date.UTC(2026, 5, 1), until: Date.UTC(2026, 5, 20), count }), {
      now: () => Date.UTC(2026, 5, 20),
    }),
  ];
}

describe('live pipeline view', () => {
  const prefix = uniquePrefix('dlive');
  const unpaid = topicName('unpaid', prefix);
  const failed = topicName('failed', prefix);
  let producer: Producer;
  let encoder: Encoder<Order>;
  let metrics: Server;
  let watcher: PipelineWatcher;
  let withData = 0;
  const first = orders(5, 6);
  const failures = orders(6, 2).map(
    (o): Order => ({
      ...o,
      shipping_info: {
        ...o.shipping_info,
        order_status: 'TIMED_OUT',
        finished_date: o.order_date + 7 * 86_400_000,
      },
      failure: {
        stage: 'payment',
        reason: 'payment not received in 7 days',
        failed_at: o.order_date + 7 * 86_400_000,
      },
    }),
  );

  beforeAll(async () => {
    await createTopics(prefix, 2);
    const serde = new AvroSerde(conn.registryUrl);
    encoder = await serde.writer<Order>(valueSubject(unpaid), readSchema('order.avsc'));
    const failedEncoder = await serde.writer<Order>(valueSubject(failed), readSchema('order.avsc'));
    producer = createKafka(conn.kafkaBootstrap, 'dashboard-live-test', log).producer();
    await producer.connect();
    await producer.send({
      topic: unpaid,
      messages: [
        ...first.map((o) => ({ key: o.order_id, value: encoder.encode(o) })),
        { key: 'garbage', value: Buffer.from('not avro at all') },
      ],
    });
    await producer.send({
      topic: failed,
      messages: failures.map((o) => ({ key: o.order_id, value: failedEncoder.encode(o) })),
    });
    await producer.send({ topic: dlqTopic(unpaid), messages: [{ key: 'x', value: Buffer.from('poison') }] });

    // The payment group has committed all but the newest record of every partition it has data in.
    const admin = createKafka(conn.kafkaBootstrap, 'dashboard-live-test-admin', log).admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(unpaid);
    await admin.disconnect();
    const consumer = new rdkafka.KafkaConsumer(
      { 'bootstrap.servers': conn.kafkaBootstrap, 'group.id': `${prefix}orderflow-payment` },
      {},
    );
    await new Promise<void>((resolve, reject) => consumer.connect({}, (e) => (e ? reject(e) : resolve())));
    withData = ends.filter((p) => Number(p.high) > 0).length;
    const commits = ends
      .filter((p) => Number(p.high) > 0)
      .map((p) => ({ topic: unpaid, partition: p.partition, offset: Number(p.high) - 1 }));
    consumer.commitSync(commits);
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));

    metrics = createServer((_req, res) => res.end(METRICS));
    await new Promise<void>((resolve) => metrics.listen(0, '127.0.0.1', resolve));
    const port = (metrics.address() as AddressInfo).port;
    watcher = new PipelineWatcher({
      kafkaBootstrap: conn.kafkaBootstrap,
      registryUrl: conn.registryUrl,
      connectUrl: conn.connectUrl,
      topicPrefix: prefix,
      processorUrls: [`http://127.0.0.1:${port}`, 'http://127.0.0.1:9'],
      log,
    });
  });

  afterAll(async () => {
    await producer?.disconnect();
    await watcher?.close();
    await new Promise((resolve) => metrics?.close(resolve));
    await deleteTopics(prefix).catch(() => undefined);
  });

  it('counts records per topic, failures, dead letters and the lag of each stage', async () => {
    const s = await watcher.snapshot(0);
    expect(s.kafka.available).toBe(true);
    const count = (t: string) => s.topics.find((x) => x.topic === t)?.messages;
    expect(count(unpaid)).toBe(7);
    expect(count(failed)).toBe(2);
    expect(s.failures.failedOrders).toBe(2);
    expect(s.failures.dlqTotal).toBe(1);
    expect(s.failures.dlq.find((d) => d.topic === dlqTopic(unpaid))?.messages).toBe(1);

    const payment = s.stages.find((x) => x.stage === 'payment')!;
    const nonEmpty = s.topics.find((t) => t.topic === unpaid)!.partitions;
    expect(payment.active).toBe(true);
    // One record (no transaction marker: a plain producer) is left on each partition with data.
    expect(payment.lag).toBe(withData);
    expect(payment.lag).toBeLessThanOrEqual(nonEmpty);
    expect(payment.committed).toBe(7 - payment.lag);
    // The splitter never committed: behind by everything on finished + failed.
    const split = s.stages.find((x) => x.stage === 'split')!;
    expect(split).toMatchObject({ active: false, lag: 2, throughputPerSecond: null });
  });

  it('decodes the newest orders from Avro, skipping what is not an order', async () => {
    const s = await watcher.snapshot(0);
    expect(s.recentError).toBeUndefined();
    const ids = s.recentOrders.map((o) => o.orderId);
    const all = [...first, ...failures].map((o) => o.order_id);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    for (const id of ids) expect(all).toContain(id);
    for (const f of failures) {
      const shown = s.recentOrders.find((o) => o.orderId === f.order_id);
      expect(shown).toMatchObject({
        topic: failed,
        status: 'TIMED_OUT',
        failure: 'payment: payment not received in 7 days',
        total: f.order_total,
      });
    }
  });

  it('lists the components it depends on as up while they answer', async () => {
    const s = await watcher.snapshot(0);
    expect(s.components.filter((c) => c.name !== 'PostgreSQL').map((c) => [c.name, c.up])).toEqual([
      ['Kafka', true],
      ['Schema registry', true],
      ['Kafka Connect', true],
    ]);
  });

  it("reads the processors' /metrics and Kafka Connect", async () => {
    const s = await watcher.snapshot(0);
    expect(s.processors[0]).toMatchObject({
      reachable: true,
      stage: 'payment',
      recordsIn: 42,
      recordsOut: 41,
      failed: 11,
      dlq: 1,
    });
    expect(s.processors[1]).toMatchObject({ reachable: false });
    expect(s.connect.available).toBe(true);
    expect(s.connect.connectors).toEqual([]); // none deployed for this prefix
  });

  it('gives a rate once records keep arriving, and serves the snapshot at /api/live', async () => {
    await watcher.snapshot(0);
    const more = orders(7, 4);
    await producer.send({
      topic: unpaid,
      messages: more.map((o) => ({ key: o.order_id, value: encoder.encode(o) })),
    });
    await sleep(1100);
    const s = await watcher.snapshot(0);
    const topic = s.topics.find((t) => t.topic === unpaid)!;
    expect(topic.messages).toBe(11);
    expect(topic.ratePerSecond).toBeGreaterThan(0);

    const db = new WarehouseReader(databaseUrl, 'public');
    const app = await buildDashboard({ db, watcher, log });
    try {
      const response = await app.inject({ method: 'GET', url: '/api/live' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ prefix, kafka: { available: true } });
    } finally {
      await app.close();
      await db.close();
    }
  });

  it('reports what is unreachable instead of failing when Kafka and Connect are down', async () => {
    const db = new pg.Client({ connectionString: 'postgres://orderflow@127.0.0.1:1/orderflow' });
    const down = new PipelineWatcher({
      kafkaBootstrap: '127.0.0.1:1',
      registryUrl: 'http://127.0.0.1:59999/apis/ccompat/v7',
      connectUrl: 'http://127.0.0.1:1',
      topicPrefix: prefix,
      processorUrls: ['http://127.0.0.1:1'],
      databaseProbe: async () => {
        await db.connect();
      },
      databaseAddress: 'postgres://orderflow@127.0.0.1:1/orderflow',
      log,
    });
    try {
      const s = await down.snapshot(0);
      // Every component is listed as down, with the client's own reason.
      expect(s.components.map((c) => [c.name, c.up])).toEqual([
        ['Kafka', false],
        ['Schema registry', false],
        ['Kafka Connect', false],
        ['PostgreSQL', false],
      ]);
      for (const c of s.components) expect(c.detail, c.name).toMatch(/ECONNREFUSED|127\.0\.0\.1:1\b/);
      expect(s.kafka.available).toBe(false);
      expect(s.kafka.error).toMatch(/127\.0\.0\.1:1/);
      expect(s.connect).toMatchObject({ available: false, connectors: [] });
      expect(s.processors[0]!.reachable).toBe(false);
      expect(s.topics).toEqual([]);
      expect(s.recentOrders).toEqual([]);
    } finally {
      await down.close();
    }
  });
});

describe('live pipeline view: lag on transactional topics', () => {
  const prefix = uniquePrefix('dlag');
  const paid = topicName('paid', prefix);
  let watcher: PipelineWatcher;

  beforeAll(async () => {
    await createTopics(prefix, 2);
    const serde = new AvroSerde(conn.registryUrl);
    const encoder = await serde.writer<Order>(valueSubject(paid), readSchema('order.avsc'));
    // One transaction, as a stage writes: two records on partition 0, one on partition 1, then the
    // commit marker on each.
    const producer = createKafka(conn.kafkaBootstrap, 'dashboard-lag-test', log).producer({
      'transactional.id': `${prefix}tx`,
    } as KafkaJS.ProducerConstructorConfig);
    await producer.connect();
    const [a, b, c] = orders(8, 3);
    await producer.transaction();
    await producer.send({
      topic: paid,
      messages: [
        { key: a!.order_id, value: encoder.encode(a!), partition: 0 },
        { key: b!.order_id, value: encoder.encode(b!), partition: 0 },
        { key: c!.order_id, value: encoder.encode(c!), partition: 1 },
      ],
    });
    await producer.commit();
    await producer.disconnect();

    // The shipping group has read nothing of partition 0 and everything of partition 1: its position
    // there is the marker's offset, one short of the end.
    const consumer = new rdkafka.KafkaConsumer(
      { 'bootstrap.servers': conn.kafkaBootstrap, 'group.id': `${prefix}orderflow-shipping` },
      {},
    );
    await new Promise<void>((resolve, reject) => consumer.connect({}, (e) => (e ? reject(e) : resolve())));
    consumer.commitSync([
      { topic: paid, partition: 0, offset: 0 },
      { topic: paid, partition: 1, offset: 1 },
    ]);
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
    watcher = new PipelineWatcher({
      kafkaBootstrap: conn.kafkaBootstrap,
      registryUrl: conn.registryUrl,
      connectUrl: conn.connectUrl,
      topicPrefix: prefix,
      processorUrls: [],
      log,
    });
  });

  afterAll(async () => {
    await watcher?.close();
    await deleteTopics(prefix).catch(() => undefined);
  });

  it('counts records, not transaction markers: 2 behind, where the offsets say 4', async () => {
    const s = await watcher.snapshot(0);
    const topic = s.topics.find((t) => t.topic === paid)!;
    expect(topic.endOffset).toBe(5); // 3 records + 2 markers
    const shipping = s.stages.find((x) => x.stage === 'shipping')!;
    expect(shipping).toMatchObject({ active: true, committed: 1, lag: 2 });
  });
});
