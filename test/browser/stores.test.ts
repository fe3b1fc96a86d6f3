/**
 * The stores tab in Debian's Chromium (playwright-core), on a seeded year of orders of which a fifth
 * of those placed in opening hours are till sales: the tiles and tables show the figures of a SQL
 * query over the landing tables, every chart is drawn, the range filter reloads them. Screenshots go
 * to test-artifacts/dashboard/. Needs `npm run build:web` first.
 */
import { describe, expect, it } from 'vitest';
import { rangeWindow } from '../../dashboard/range.ts';
import { STORES } from '../../reference/stores.ts';
import { seededDashboard } from '../integration/dashboard/seeded-dashboard.ts';
import {
  chartPoints,
  count,
  dashboardInChromium,
  onCleanPage,
  openTab,
  ready,
  tileText,
  ARTIFACTS,
} from './chromium.ts';

describe('stores tab in Chromium', () => {
  const chrome = dashboardInChromium(() =>
    seededDashboard('browser_stores', { orders: 2500, days: 365, seed: 1515, storeShare: 0.2 }),
  );

  /** Delivered store orders per store in the Manila days from..to, best first, from the landing table. */
  async function expected(from: string, to: string) {
    const { rows } = await chrome.dash.wh.client.query<{ name: string; orders: string; sales: string }>(
      `select s.name, count(o.order_id) as orders, coalesce(sum(o.order_total), 0) as sales
         from stores s left join orders o
           on o.store_id = s.store_id and o.channel = 'store' and o.order_status = 'DELIVERED'
          and (o.order_date at time zone 'Asia/Manila')::date between $1::date and $2::date
        group by s.store_id, s.name order by sum(o.order_total) desc nulls last, s.store_id`,
      [from, to],
    );
    return rows.map((r) => ({ name: r.name, orders: Number(r.orders), sales: Number(r.sales) }));
  }

  it('ranks the stores by sales, and draws channels, tenders and VAT per month', async () => {
    await onCleanPage(chrome.browser, async (page) => {
      await openTab(page, chrome.url, 'stores', 'range=all');
      const e = await expected(chrome.dash.firstDay, chrome.dash.asOf);
      const orders = e.reduce((a, s) => a + s.orders, 0);
      expect(orders).toBeGreaterThan(150);
      expect(count(await tileText(page, 'Store orders'))).toBe(orders);
      expect(count(await tileText(page, 'Stores selling'))).toBe(e.filter((s) => s.orders > 0).length);
      const rows = page.locator('#stores-ranking tbody tr');
      expect(await rows.count()).toBe(STORES.length);
      expect(await rows.locator('td:nth-child(2)').allTextContents()).toEqual(e.map((s) => s.name));
      expect((await rows.locator('td:nth-child(4)').allTextContents()).map(count)).toEqual(
        e.map((s) => s.orders),
      );
      const tenders = await page.locator('#stores-tenders tbody td:first-child').allTextContents();
      expect([...tenders].sort()).toEqual(['Cash', 'Credit card', 'Debit card', 'E-wallet']);
      const charts = await chartPoints(page);
      expect(charts.map((c) => c.id)).toEqual(['sto-ranking', 'sto-channels', 'sto-tenders', 'sto-vat']);
      for (const c of charts) expect(c.points, c.id).toBeGreaterThan(0);
      expect(charts.find((c) => c.id === 'sto-ranking')?.points).toBe(e.filter((s) => s.orders > 0).length);
      expect(charts.find((c) => c.id === 'sto-tenders')?.points).toBe(4);
      // A year of days is drawn by week: 2 series (online, stores) of a point per 7 days.
      const days = (Date.parse(chrome.dash.asOf) - Date.parse(chrome.dash.firstDay)) / 86_400_000 + 1;
      expect(charts.find((c) => c.id === 'sto-channels')?.points).toBe(2 * Math.ceil(days / 7));
      expect(await page.locator('#stores-vat tbody tr').count()).toBeGreaterThanOrEqual(12);
      await page.screenshot({ path: `${ARTIFACTS}stores.png`, fullPage: true });
    });
  });

  it('the range filter reloads the stores for that period', async () => {
    await onCleanPage(chrome.browser, async (page) => {
      await openTab(page, chrome.url, 'stores', 'range=all');
      await page.selectOption('#range', 'quarter');
      await page.waitForFunction(() =>
        document.querySelector('.subtitle')?.textContent?.includes('Quarter to date'),
      );
      await ready(page, 'stores');
      expect(page.url()).toContain('range=quarter');
      const w = rangeWindow('quarter', chrome.dash.asOf, chrome.dash.firstDay);
      const e = await expected(w.from, w.to);
      expect(count(await tileText(page, 'Store orders'))).toBe(e.reduce((a, s) => a + s.orders, 0));
      expect(await page.locator('#sto-channels').getAttribute('aria-label')).toMatch(/per day/);
      expect(Number(await page.locator('#sto-channels').getAttribute('data-points'))).toBeGreaterThanOrEqual(
        (2 * (Date.parse(w.to) - Date.parse(w.from))) / 86_400_000,
      );
    });
  });
});
