/**
 * The stock service's reorder policy on the real service: two years of seeded lifecycle records
 * (seed 1, 2024-01-01..2026-01-01, the default generator through the stage transforms) consumed
 * from Kafka into a fresh shop database. The fill rate (units reserved out of units reserved or
 * backordered, as the dashboard's stock tab computes it) is at least 95%, stock-outs stay recorded
 * as backorders, and no order fails for want of stock.
 */
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka, type Producer } from '../../../common/kafka.ts';
import { AvroSerde, readSchema } from '../../../common/serde.ts';
import { connectShop, migrateShop } from '../../../common/shop-database.ts';
import { PROFILES } from '../../../processors/profiles.ts';
import { stageRng } from '../../../processors/rng.ts';
import { STAGES, STAGE_NAMES } from '../../../processors/stages.ts';
import { makeConfig } from '../../../producer/config.ts';
import { generateOrders } from '../../../producer/model/generator.ts';
import { topicName, valueSubject } from '../../../schemas/topics.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { startStockService, type StockService } from '../../../stock/service.ts';
import { conn, createTopics, deleteTopics, log, uniquePrefix } from '../helpers.ts';
import { dropShop, freshShopUrl } from './fresh-shop.ts';

const SEED = 1;
const prefix = uniquePrefix('stockfill');
const shopUrl = freshShopUrl('stockfill');
const finished: Order[] = [];
const failed: Order[] = [];
let service: StockService | undefined;
let fatal: unknown;

function lifecycle(): void {
  const config = makeConfig({ seed: SEED, from: Date.UTC(2024, 0, 1), until: Date.UTC(2026, 0, 1) });
  for (let order of generateOrders(config, { now: () => 0 })) {
    let ended = false;
    for (const stage of STAGE_NAMES) {
      const outcome = STAGES[stage].transform(order, stageRng(SEED, stage, order.order_id), PROFILES.default);
      order = outcome.order;
      if (outcome.kind === 'failed') {
        failed.push(order);
        ended = true;
        break;
      }
    }
    if (!ended) finished.push(order);
  }
}

beforeAll(async () => {
  lifecycle();
  await createTopics(prefix);
  await migrateShop(shopUrl, SEED);
  const serde = new AvroSerde(conn.registryUrl);
  const producer: Producer = createKafka(conn.kafkaBootstrap, 'orderflow-test-stockfill', log).producer({
    'enable.idempotence': true,
    'linger.ms': 5,
  } as KafkaJS.ProducerConstructorConfig);
  await producer.connect();
  try {
    const paid = [...finished, ...failed.filter((o) => o.failure?.stage !== 'payment')].sort(
      (a, b) => a.payment_info.payment_date! - b.payment_info.payment_date!,
    );
    for (const [key, list] of [
      ['paid', paid],
      ['finished', finished],
      ['failed', failed],
    ] as const) {
      const topic = topicName(key, prefix);
      const encoder = await serde.writer<Order>(valueSubject(topic), readSchema('order.avsc'));
      for (let i = 0; i < list.length; i += 500)
        await producer.send({
          topic,
          messages: list.slice(i, i + 500).map((o) => ({ key: o.order_id, value: encoder.encode(o) })),
        });
    }
  } finally {
    await producer.disconnect();
  }
}, 300_000);

afterAll(async () => {
  await service?.stop().catch(() => undefined);
  await dropShop(shopUrl);
  await deleteTopics(prefix).catch(() => undefined);
});

describe('the reorder policy on the stock service (two years, seed 1)', () => {
  it('fills at least 95% of the units ordered; stock-outs are backorders, never failures', async () => {
    const total =
      finished.length +
      failed.filter((o) => o.failure?.stage !== 'payment').length +
      finished.length +
      failed.length;
    service = await startStockService({
      kafkaBootstrap: conn.kafkaBootstrap,
      registryUrl: conn.registryUrl,
      shopDatabaseUrl: shopUrl,
      topicPrefix: prefix,
      batchSize: 200,
      log,
      onFatal: (error) => (fatal = error),
    });
    const started = Date.now();
    while (service.applied() < total) {
      if (fatal) throw fatal;
      if (Date.now() - started > 600_000)
        throw new Error(`stock service stuck at ${service.applied()} of ${total}`);
      await sleep(500);
    }
    console.log(`${total} records applied in ${Date.now() - started} ms`);
    const db = await connectShop(shopUrl);
    try {
      const { rows } = await db.query<{
        reserved: string;
        backordered: string;
        taken_at_end: string;
        restocks: string;
        open: string;
      }>(
        `select (select coalesce(sum(quantity), 0) from stock_movements where kind = 'reserve') as reserved,
                (select coalesce(sum(quantity), 0) from stock_movements c where kind = 'consume'
                  and not exists (select 1 from stock_movements r where r.order_id = c.order_id and r.sku = c.sku and r.kind = 'reserve')) as taken_at_end,
                (select coalesce(sum(quantity), 0) from stock_movements where kind = 'backorder') as backordered,
                (select count(*) from restocks) as restocks,
                (select count(*) from restocks where status = 'ordered') as open`,
      );
      // Units taken from the shelf: reserved when paid, or consumed at once when the order's end
      // was read before its payment (the stock service takes them then).
      const reserved = Number(rows[0]!.reserved) + Number(rows[0]!.taken_at_end);
      const backordered = Number(rows[0]!.backordered);
      const fill = reserved / (reserved + backordered);
      console.log(
        `fill rate ${(fill * 100).toFixed(2)}%: ${reserved} units taken (${rows[0]!.taken_at_end} at the order's end), ${backordered} backordered, ${rows[0]!.restocks} restocks (${rows[0]!.open} open)`,
      );
      expect(reserved).toBeGreaterThan(50_000);
      expect(fill).toBeGreaterThanOrEqual(0.95);
      // Every order the service saw is settled: none refused for want of stock.
      const orders = await db.query<{ n: string }>(
        `select count(*) as n from stock_orders where ended is null`,
      );
      expect(Number(orders.rows[0]!.n)).toBe(0);
    } finally {
      await db.end();
    }
  }, 700_000);
});
