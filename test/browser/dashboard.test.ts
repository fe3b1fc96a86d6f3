/**
 * The dashboard in Debian's Chromium (playwright-core): every tab renders non-empty charts with no
 * console errors on a seeded two-year warehouse; filters reload the data; a fresh schema shows the
 * "no data yet" state; the live tab shows orders produced to real topics, decoded from Avro.
 * Screenshots of every tab go to test-artifacts/dashboard/. Needs `npm run build:web` first.
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka } from '../../common/kafka.ts';
import { AvroSerde, readSchema } from '../../common/serde.ts';
import { readCdcLandings } from '../../dashboard/live/cdc-landings.ts';
import { PipelineWatcher } from '../../dashboard/live/pipeline.ts';
import { TABS, buildDashboard } from '../../dashboard/server.ts';
import { WarehouseReader } from '../../dashboard/warehouse-reader.ts';
import { makeConfig } from '../../simulation/config.ts';
import { generateOrders } from '../../simulation/model/generator.ts';
import type { Order } from '../../schemas/types.generated.ts';
import { topicName, valueSubject } from '../../schemas/topics.ts';
import {
  seededWarehouse,
  databaseUrl,
  type SeededWarehouse,
} from '../integration/dashboard/seeded-warehouse.ts';
import { conn, createTopics, deleteTopics, log, uniquePrefix } from '../integration/helpers.ts';
import {
  chartPoints,
  launchChromium,
  listenOnLoopback,
  onCleanPage,
  openTab,
  ready,
  requireBuiltFrontEnd,
  ARTIFACTS,
} from './chromium.ts';

/** A dashboard served on a loopback port, and what closes it with its reader. */
interface Served {
  url: string;
  close(): Promise<void>;
}

async function serve(schema: string, watcher?: PipelineWatcher): Promise<Served> {
  const db = new WarehouseReader(databaseUrl, schema);
  const app = await buildDashboard({ db, watcher, log });
  const close = async () => {
    await app.close();
    await db.close();
  };
  return { url: await listenOnLoopback(app), close };
}

describe('dashboard in Chromium', () => {
  let seeded: SeededWarehouse;
  let empty: SeededWarehouse;
  let main: Served;
  let fresh: Served;
  let watcher: PipelineWatcher;
  let cdcDb: WarehouseReader;
  let browser: Browser;
  const prefix = uniquePrefix('dash');
  let produced: Order[] = [];

  beforeAll(async () => {
    requireBuiltFrontEnd();
    mkdirSync(ARTIFACTS, { recursive: true });
    seeded = await seededWarehouse('browser', { orders: 4000, carts: true, storeShare: 0.1 });
    empty = await seededWarehouse('browser_empty', { orders: 0 });

    // Real topics with a few generated orders on unpaid_orders, for the live tab.
    await createTopics(prefix, 2);
    produced = [
      ...generateOrders(
        makeConfig({ seed: 41, from: Date.UTC(2026, 9, 1), until: Date.UTC(2026, 9, 3), count: 5 }),
        {
          now: () => Date.UTC(2026, 9, 3),
        },
      ),
    ];
    const serde = new AvroSerde(conn.registryUrl);
    const topic = topicName('unpaid', prefix);
    const encoder = await serde.writer<Order>(valueSubject(topic), readSchema('order.avsc'));
    const producer = createKafka(conn.kafkaBootstrap, 'dashboard-test', log).producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: produced.map((o) => ({ key: o.order_id, value: encoder.encode(o) })),
    });
    await producer.disconnect();

    cdcDb = new WarehouseReader(databaseUrl, seeded.schema);
    watcher = new PipelineWatcher({
      kafkaBootstrap: conn.kafkaBootstrap,
      registryUrl: conn.registryUrl,
      connectUrl: conn.connectUrl,
      topicPrefix: prefix,
      processorUrls: ['http://127.0.0.1:9'],
      cdcLandings: (windowMs) => readCdcLandings(cdcDb, windowMs),
      log,
    });
    main = await serve(seeded.schema, watcher);
    fresh = await serve(empty.schema);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await main?.close();
    await fresh?.close();
    await watcher?.close();
    await cdcDb?.close();
    await seeded?.drop();
    await empty?.drop();
    await deleteTopics(prefix).catch(() => undefined);
  });

  for (const tab of Object.keys(TABS)) {
    it(`tab ${tab} renders non-empty charts without console errors`, async () => {
      await onCleanPage(browser, async (page) => {
        await openTab(page, main.url, tab, 'range=year');
        const charts = await chartPoints(page);
        expect(charts.length).toBeGreaterThanOrEqual(1);
        for (const c of charts) expect(c.points, `chart ${c.id}`).toBeGreaterThan(0);
        if (tab === 'location') {
          // The map: a grey dot for each of the 83 provinces, and a bubble for each with orders.
          const provinces = await page.locator('#view table tbody tr').count();
          expect(provinces).toBeGreaterThan(0);
          expect(charts.find((c) => c.id === 'loc-map')?.points).toBe(83 + provinces);
        }
        expect(await page.locator('#view .tile').count()).toBeGreaterThanOrEqual(3);
        expect(await page.locator('#view [data-empty]').count()).toBe(0);
        await page.screenshot({ path: `${ARTIFACTS}${tab}.png`, fullPage: true });
      });
    });
  }

  it('support tab shows tickets by category, by failure reason, and the share auto-closed', async () => {
    await onCleanPage(browser, async (page) => {
      await openTab(page, main.url, 'support', 'range=all');
      const expected = await seeded.client.query<{ n: string }>(
        'select count(distinct category) as n from dim_support_ticket',
      );
      expect(Number(expected.rows[0]!.n)).toBeGreaterThanOrEqual(3);
      const tables = page.locator('#view table');
      expect(await tables.nth(0).locator('tbody tr').count()).toBe(Number(expected.rows[0]!.n));
      expect(await tables.nth(1).locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
      const share = await page
        .locator('#view .tile[data-tile="Share auto-closed (7-day rule)"] .value')
        .textContent();
      expect(share).toMatch(/^\d+(\.\d)?%$/);
      expect(await page.locator('#support-dead-letters tbody td:nth-child(3)').allTextContents()).toEqual([
        'Issue Category',
        'field count',
      ]);
      expect(
        await page.locator('#view .tile[data-tile="Report lines dead-lettered"] .value').textContent(),
      ).toBe('2');
    });
  });

  it('stock tab shows the level of every product, the low-stock products and the open restocks', async () => {
    await onCleanPage(browser, async (page) => {
      await openTab(page, main.url, 'stock', 'range=all');
      const expected = await seeded.client.query<{
        products: string;
        low: string;
        on_hand: string;
        open: string;
      }>(
        `select (select count(distinct sku) from shop_stock) as products,
                (select count(*) from metric_stock_levels where below_reorder_point) as low,
                (select sum(on_hand) from shop_stock) as on_hand,
                (select count(*) from shop_restocks where status = 'ordered') as open`,
      );
      const e = expected.rows[0]!;
      expect(Number(e.low)).toBeGreaterThanOrEqual(3);
      expect(Number(e.low)).toBeLessThan(Number(e.products));
      expect(await page.locator('#stock-products tbody tr').count()).toBe(Number(e.products));
      expect(await page.locator('#stock-low tbody tr').count()).toBe(Number(e.low));
      const onHand = await page.locator('#view .tile[data-tile="Units on hand"] .value').textContent();
      expect(onHand?.replaceAll(',', '')).toBe(e.on_hand);
      const statuses = await page.locator('#stock-restock-list tbody td:nth-child(5)').allTextContents();
      expect(statuses.filter((x) => x === 'ordered')).toHaveLength(Math.min(Number(e.open), 50));
      expect(statuses).toContain('received');
      const charts = await chartPoints(page);
      expect(charts.map((c) => c.id).sort()).toEqual([
        'stock-level',
        'stock-lowest',
        'stock-moves',
        'stock-price-history',
        'stock-restocks',
      ]);
      for (const c of charts) expect(c.points, `chart ${c.id}`).toBeGreaterThan(0);
      // Price history: the product whose price changed most in the range, every version in force.
      // "All time" is the first to the last order day (Asia/Manila).
      const { rows: history } = await seeded.client.query<{ price: string; cost: string }>(
        `with span as (
           select min(order_day)::timestamp at time zone 'Asia/Manila' as from_at,
                  (max(order_day) + 1)::timestamp at time zone 'Asia/Manila' as to_at
             from fact_orders
         ), inside as (
           select v.* from dim_product v, span
            where coalesce(v.valid_to, 'infinity') > span.from_at and v.valid_from < span.to_at
         ), chosen as (select sku from inside group by sku order by count(*) desc, sku limit 1)
         select price::text, cost::text from inside join chosen using (sku) order by valid_from`,
      );
      expect(history.length).toBeGreaterThan(3);
      const table = page.locator('#stock-price-history-list tbody tr');
      expect(await table.count()).toBe(history.length);
      const prices = await page.locator('#stock-price-history-list tbody td:nth-child(3)').allTextContents();
      const costs = await page.locator('#stock-price-history-list tbody td:nth-child(4)').allTextContents();
      expect(prices.map((t) => t.replace(/[^0-9.]/g, ''))).toEqual(history.map((h) => h.price));
      expect(costs.map((t) => t.replace(/[^0-9.]/g, ''))).toEqual(history.map((h) => h.cost));
      await page.screenshot({ path: `${ARTIFACTS}stock-all.png`, fullPage: true });
    });
  });

  it('the stock tab shows "no data yet" while the shop\'s change stream has landed no stock', async () => {
    // Orders landed, the shop's tables still empty (a pipeline run without the shop database).
    const noShop = await seededWarehouse('browser_noshop', { orders: 200, days: 30 });
    await noShop.client.query('truncate shop_stock, shop_stock_movements, shop_restocks, shop_products');
    const server = await serve(noShop.schema);
    try {
      await onCleanPage(browser, async (page) => {
        await openTab(page, server.url, 'stock');
        expect(await page.locator('#view [data-empty]').textContent()).toMatch(
          /^no data yet, run npx orderflow run/,
        );
        expect(await page.locator('#view canvas').count()).toBe(0);
        await page.screenshot({ path: `${ARTIFACTS}stock-empty.png`, fullPage: true });
      });
    } finally {
      await server.close();
      await noShop.drop();
    }
  });

  it('items tab lists market-basket pairs and payment tab the failure funnel', async () => {
    await onCleanPage(browser, async (page) => {
      await openTab(page, main.url, 'items', 'range=all');
      expect(await page.locator('#basket-pairs tbody tr').count()).toBeGreaterThanOrEqual(5);
      await openTab(page, main.url, 'payment-delivery', 'range=all');
      const stages = await page.locator('#failure-funnel tbody td:first-child').allTextContents();
      expect(stages.filter((s) => s !== '')).toEqual(['payment', 'shipping', 'delivery']);
    });
  });

  it('the period and province filters reload the tab and stay in the URL', async () => {
    await onCleanPage(browser, async (page) => {
      await openTab(page, main.url, 'revenue');
      expect(await page.locator('.subtitle').first().textContent()).toContain('Last 30 days');
      await page.selectOption('#range', 'quarter');
      await page.waitForFunction(() =>
        document.querySelector('.subtitle')?.textContent?.includes('Quarter to date'),
      );
      await page.selectOption('#province', 'PH-CEB');
      await page.waitForFunction(() =>
        document.querySelector('.subtitle')?.textContent?.includes('province PH-CEB'),
      );
      expect(page.url()).toContain('range=quarter');
      expect(page.url()).toContain('province=PH-CEB');
      await page.click('button[data-tab="location"]');
      await ready(page, 'location');
      expect(await page.locator('#province-label').isVisible()).toBe(false);
    });
  });

  it('the live tab shows the topics, stages and the newest orders decoded from Avro', async () => {
    await onCleanPage(browser, async (page) => {
      await openTab(page, main.url, 'live');
      const recent = page.locator('#live-recent tbody');
      // The newest record of each partition is always among the newest orders shown.
      await expect.poll(() => recent.textContent(), { timeout: 30_000 }).toContain(produced.at(-1)!.order_id);
      const shown = await page.locator('#live-recent tbody tr td:nth-child(2)').allTextContents();
      expect(shown.length).toBeGreaterThanOrEqual(2);
      for (const id of shown) expect(produced.map((o) => o.order_id)).toContain(id);
      expect(await page.locator('#live-topic-table tbody').textContent()).toContain(
        topicName('unpaid', prefix),
      );
      expect(await page.locator('#live-stage-table tbody').textContent()).toContain(
        `${prefix}orderflow-payment`,
      );
      const components = await page.locator('#live-components tbody').textContent();
      for (const name of ['Kafka', 'Schema registry', 'Kafka Connect']) expect(components).toContain(name);
      expect(components).not.toContain('down');
      const charts = await chartPoints(page);
      expect(charts.find((c) => c.id === 'live-topics')?.points).toBeGreaterThan(0);
      // The shop's change stream: a stock row that changed 2 s before it landed shows in the lag.
      await seeded.client.query(
        `update shop_stock set updated_at = clock_timestamp() - interval '2 seconds'
          where sku = (select min(sku) from shop_stock)`,
      );
      const cdc = page.locator('#live-cdc tbody tr', { hasText: 'shop_stock' });
      const maxLag = async () => {
        const text =
          (await cdc
            .locator('td:nth-child(5)')
            .textContent()
            .catch(() => '')) ?? '';
        const m = /^([\d.]+) (ms|s|min|h)$/.exec(text);
        return m ? Number(m[1]) * { ms: 1, s: 1000, min: 60_000, h: 3_600_000 }[m[2] as 'ms'] : -1;
      };
      await expect.poll(maxLag, { timeout: 20_000 }).toBeGreaterThanOrEqual(2000);
      expect(await page.locator('#live-cdc tbody td:first-child').allTextContents()).toEqual([
        'all shop tables',
        'shop_products',
        'shop_stock',
      ]);
      expect(
        await page.locator('#view .tile[data-tile="CDC lag (shop to warehouse, p95)"] .value').textContent(),
      ).toMatch(/^[\d.]+ (ms|s|min|h)$/);
      // It refreshes without a reload: the footer's time changes.
      const before = await page.locator('#status').textContent();
      await expect.poll(() => page.locator('#status').textContent(), { timeout: 20_000 }).not.toBe(before);
      await page.screenshot({ path: `${ARTIFACTS}live.png`, fullPage: true });
    });
  });

  it('the live tab shows a component that is down, with its address and the cause', async () => {
    // The same pipeline, watched through a registry address where nothing listens.
    const blind = new PipelineWatcher({
      kafkaBootstrap: conn.kafkaBootstrap,
      registryUrl: 'http://127.0.0.1:59999/apis/ccompat/v7',
      connectUrl: conn.connectUrl,
      topicPrefix: prefix,
      processorUrls: [],
      log,
    });
    const server = await serve(seeded.schema, blind);
    try {
      await onCleanPage(browser, async (page) => {
        await openTab(page, server.url, 'live');
        const warning = page.locator('.empty.error', { hasText: 'Schema registry is down' });
        await expect.poll(() => warning.count(), { timeout: 20_000 }).toBeGreaterThan(0);
        expect(await warning.first().textContent()).toContain(
          '(http://127.0.0.1:59999/apis/ccompat/v7): fetch failed: connect ECONNREFUSED',
        );
        const row = page.locator('#live-components tbody tr', { hasText: 'Schema registry' });
        expect(await row.locator('.pill').textContent()).toBe('down');
        const kafkaRow = page.locator('#live-components tbody tr', { hasText: 'Kafka Connect' });
        expect(await kafkaRow.locator('.pill').textContent()).toBe('up');
        await page.screenshot({ path: `${ARTIFACTS}live-component-down.png`, fullPage: true });
      });
    } finally {
      await server.close();
      await blind.close();
    }
  });

  it('a fresh warehouse shows "no data yet" instead of charts', async () => {
    await onCleanPage(browser, async (page) => {
      for (const tab of ['revenue', 'location', 'stock']) {
        await openTab(page, fresh.url, tab);
        expect(await page.locator('#view [data-empty]').textContent()).toBe(
          'no data yet, run npx orderflow run',
        );
        expect(await page.locator('#view canvas').count()).toBe(0);
      }
      await page.click('button[data-tab="items"]');
      await ready(page, 'items');
      expect(await page.locator('#view [data-empty]').count()).toBe(1);
      await page.screenshot({ path: `${ARTIFACTS}empty.png`, fullPage: true });
    });
  });
});
