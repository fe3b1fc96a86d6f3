/**
 * The dashboard's SQL tab in Debian's Chromium (playwright-core), on the real Flink SQL Gateway and
 * a prefix of its own: a query typed into the box streams the topic's rows into the table, Cancel
 * cancels its Flink job, and a bad statement shows Flink's error with its line and column.
 * Screenshots go to test-artifacts/dashboard/sql-*.png. Needs `npm run build:web` first.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { buildDashboard } from '../../dashboard/server.ts';
import { WarehouseReader } from '../../dashboard/warehouse-reader.ts';
import { databaseUrl } from '../integration/dashboard/seeded-warehouse.ts';
import { flinkRest, flinkSql, jobState, paidOrdersOnFlink } from '../integration/dashboard/sql-fixture.ts';
import { conn, deleteTopics, log, uniquePrefix } from '../integration/helpers.ts';
import { sampleOrders } from '../integration/processors/pipeline.ts';
import { dashboardInChromium, openTab, ARTIFACTS } from './chromium.ts';

describe('SQL tab in Chromium', () => {
  const prefix = uniquePrefix('sqlb');
  const db = new WarehouseReader(databaseUrl, 'public');
  const orders = sampleOrders(4, 21);
  const chrome = dashboardInChromium(
    async () => {
      await paidOrdersOnFlink(prefix, orders, 2);
      const common = {
        kafkaBootstrap: conn.kafkaBootstrap,
        registryUrl: conn.registryUrl,
        topicPrefix: prefix,
        log,
      };
      const app = await buildDashboard({
        db,
        log,
        kafka: { ...common, connectUrl: conn.connectUrl, allowWrites: false, host: '127.0.0.1' },
        sql: {
          ...common,
          flinkRestPort: flinkSql.flinkRestPort,
          flinkGatewayPort: flinkSql.flinkGatewayPort,
        },
      });
      return { app, close: () => app.close() };
    },
    async () => {
      await db.close();
      await deleteTopics(prefix).catch(() => undefined);
    },
  );

  async function open(): Promise<{ page: Page; errors: string[] }> {
    const page = await chrome.browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      // A rejected statement is a 400 the page shows; the browser logs the response too.
      if (m.type() === 'error' && !/status of 400/.test(m.text())) errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await openTab(page, chrome.url, 'sql');
    return { page, errors };
  }

  it('a typed query streams rows into the table; Cancel cancels its Flink job', async () => {
    const { page, errors } = await open();
    try {
      expect(await page.getAttribute('#sql-flink-ui', 'href')).toBe(`${flinkRest}/`);
      await page.fill(
        '#sql-statement',
        'SELECT order_id, order_total, payment_info.payment_method AS pay_method\nFROM paid_orders',
      );
      await page.click('#sql-run');
      await page
        .waitForFunction(
          (n) => document.querySelectorAll('#sql-result tbody tr').length >= n,
          orders.length,
          {
            timeout: 90_000,
          },
        )
        .catch(async (error: unknown) => {
          await page.screenshot({ path: `${ARTIFACTS}sql-rows-failed.png`, fullPage: true });
          throw new Error(
            `rows did not arrive: state "${await page.textContent('#sql-state')}", error "${await page.textContent('#sql-error')}": ${String(error)}`,
          );
        });
      const ids = await page.$$eval('#sql-result tbody tr td:nth-child(2)', (tds) =>
        tds.map((t) => t.textContent),
      );
      expect(ids.sort()).toEqual(orders.map((o) => o.order_id).sort());
      const totals = await page.$$eval('#sql-result tbody tr td:nth-child(3)', (tds) =>
        tds.map((t) => t.textContent),
      );
      // DECIMAL(12, 2) with its two digits, as the Avro decimal has them.
      expect(totals.sort()).toEqual(orders.map((o) => Number(o.order_total).toFixed(2)).sort());
      const headers = await page.$$eval('#sql-result thead th', (ths) => ths.map((t) => t.textContent));
      expect(headers).toEqual(['op', 'order_id', 'order_total', 'pay_method']);
      const jobId = await page.getAttribute('#sql-state a[data-job]', 'data-job');
      expect(jobId).toMatch(/^[0-9a-f]{32}$/);
      expect(await jobState(jobId!)).toBe('RUNNING');
      await page.screenshot({ path: `${ARTIFACTS}sql-rows.png`, fullPage: true });
      await page.click('#sql-cancel');
      await page.waitForSelector('#sql-state [data-state="cancelled"]', { timeout: 30_000 });
      expect(await jobState(jobId!)).toBe('CANCELED');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("a bad statement shows Flink's error with its line and column", async () => {
    const { page, errors } = await open();
    try {
      await page.fill('#sql-statement', 'SELECT order_id,\n  no_such_column\nFROM paid_orders');
      await page.click('#sql-run');
      await page.waitForSelector('#sql-error [data-sql-error]', { timeout: 60_000 });
      expect(await page.getAttribute('#sql-error [data-sql-error]', 'data-sql-error')).toBe(
        'ORDERFLOW_SQL_FAILED',
      );
      expect(await page.getAttribute('#sql-error [data-sql-error]', 'data-line')).toBe('2');
      expect(await page.getAttribute('#sql-error [data-sql-error]', 'data-column')).toBe('3');
      expect(await page.textContent('#sql-error')).toMatch(/Column 'no_such_column' not found/);
      expect(await page.$$('#sql-result tbody tr')).toHaveLength(0);
      await page.screenshot({ path: `${ARTIFACTS}sql-error.png`, fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
