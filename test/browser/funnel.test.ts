/**
 * The funnel tab and the live tab's cart figures in Debian's Chromium (playwright-core), on a
 * seeded warehouse whose orders are the checkouts of seeded storefront carts (landed through the
 * real landing step: test/integration/dashboard/seeded-carts.ts). The figures shown equal a SQL
 * query over the landing tables; the range filter reloads them; a warehouse with orders but no
 * carts shows the funnel's "no data yet". Screenshots go to test-artifacts/dashboard/. Needs
 * `npm run build:web` first.
 */
import { describe, expect, it } from 'vitest';
import { readLiveCarts } from '../../dashboard/live/live-carts.ts';
import { PipelineWatcher } from '../../dashboard/live/pipeline.ts';
import { rangeWindow } from '../../dashboard/range.ts';
import { buildDashboard } from '../../dashboard/server.ts';
import { WarehouseReader } from '../../dashboard/warehouse-reader.ts';
import { CARTS_SQL } from '../integration/dashboard/seeded-carts.ts';
import { seededDashboard } from '../integration/dashboard/seeded-dashboard.ts';
import { databaseUrl, seededWarehouse } from '../integration/dashboard/seeded-warehouse.ts';
import { conn, log, uniquePrefix } from '../integration/helpers.ts';
import {
  chartPoints,
  count,
  dashboardInChromium,
  listenOnLoopback,
  onCleanPage,
  openTab,
  ready,
  tileText,
  ARTIFACTS,
} from './chromium.ts';

const percent = (a: number, b: number, digits = 1) => `${((a / b) * 100).toFixed(digits)}%`;

describe('funnel tab in Chromium', () => {
  const chrome = dashboardInChromium(() => {
    // The live tab over topics that do not exist (this test is about its cart figures).
    const watch = (db: WarehouseReader) =>
      new PipelineWatcher({
        kafkaBootstrap: conn.kafkaBootstrap,
        registryUrl: conn.registryUrl,
        connectUrl: conn.connectUrl,
        topicPrefix: uniquePrefix('funnel'),
        processorUrls: [],
        liveCarts: () => readLiveCarts(db),
        log,
      });
    return seededDashboard('browser_funnel', { orders: 2500, days: 365, seed: 1515, carts: true }, watch);
  });

  /** The funnel of the carts created on Manila days from..to, from the landing tables. */
  async function expected(from: string, to: string) {
    const { rows } = await chrome.dash.wh.client.query<Record<string, string>>(
      `select sum(visits) as visits, count(*) as carts, count(*) filter (where checked_out) as checkouts,
              count(*) filter (where paid) as paid, count(*) filter (where delivered) as delivered,
              count(*) filter (where expired) as abandoned, count(*) filter (where landed) as landed,
              count(*) filter (where not checked_out and not expired) as open
         from (${CARTS_SQL}) c where day between $1::date and $2::date`,
      [from, to],
    );
    return Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)]));
  }

  it('shows the funnel of the range with the figures of the landing tables', async () => {
    await onCleanPage(chrome.browser, async (page) => {
      await openTab(page, chrome.url, 'funnel', 'range=all');
      const e = await expected(chrome.dash.firstDay, chrome.dash.asOf);
      expect(e.carts).toBeGreaterThan(1000);
      for (const [label, key] of [
        ['Visits', 'visits'],
        ['Carts', 'carts'],
        ['Checkouts', 'checkouts'],
        ['Paid', 'paid'],
        ['Delivered', 'delivered'],
      ] as const)
        expect(count(await tileText(page, label)), label).toBe(e[key]);
      expect(await tileText(page, 'Cart abandonment')).toBe(percent(e.abandoned!, e.carts! - e.open!));
      expect(await tileText(page, 'Payment completion')).toBe(percent(e.paid!, e.landed!));
      expect(await tileText(page, 'Cart events dead-lettered')).toBe('3');
      // The steps table: each step's count and its conversion from the step before.
      const rows = page.locator('#funnel-steps tbody tr');
      expect(await rows.locator('td:first-child').allTextContents()).toEqual([
        'Visits',
        'Carts',
        'Checkouts',
        'Paid',
        'Delivered',
      ]);
      expect(await rows.nth(2).locator('td').allTextContents()).toEqual([
        'Checkouts',
        e.checkouts!.toLocaleString('en-PH'),
        percent(e.checkouts!, e.carts!),
        percent(e.abandoned!, e.carts! - e.open!),
      ]);
      expect(await rows.nth(3).locator('td:nth-child(3)').textContent()).toBe(percent(e.paid!, e.landed!));
      expect(await page.locator('#funnel-interest tbody tr').count()).toBe(15);
      expect(await page.locator('#funnel-trending tbody tr').count()).toBe(10);
      expect(await page.locator('#funnel-dead-letters tbody td:first-child').allTextContents()).toEqual([
        'add_to_cart after checkout',
        'unknown cart',
      ]);
      const charts = await chartPoints(page);
      expect(charts.map((c) => c.id)).toEqual(['fun-steps', 'fun-days', 'fun-interest', 'fun-dead-letters']);
      for (const c of charts) expect(c.points, c.id).toBeGreaterThan(0);
      expect(charts.find((c) => c.id === 'fun-steps')?.points).toBe(4);
      expect(charts.find((c) => c.id === 'fun-interest')?.points).toBe(10);
      // A year of days is drawn by week: 4 series of a point per 7 days.
      expect(await page.locator('#fun-days').getAttribute('aria-label')).toMatch(/^Conversion by week/);
      const days = (Date.parse(chrome.dash.asOf) - Date.parse(chrome.dash.firstDay)) / 86_400_000 + 1;
      expect(charts.find((c) => c.id === 'fun-days')?.points).toBe(4 * Math.ceil(days / 7));
      await page.screenshot({ path: `${ARTIFACTS}funnel.png`, fullPage: true });
    });
  });

  it('the range filter reloads the funnel for that period', async () => {
    await onCleanPage(chrome.browser, async (page) => {
      await openTab(page, chrome.url, 'funnel');
      for (const [name, label] of [
        ['last30', 'Last 30 days'],
        ['quarter', 'Quarter to date'],
      ] as const) {
        if (name !== 'last30') {
          await page.selectOption('#range', name);
          await page.waitForFunction(
            (l) => document.querySelector('.subtitle')?.textContent?.includes(l),
            label,
          );
          await ready(page, 'funnel');
          expect(page.url()).toContain(`range=${name}`);
        }
        expect(await page.locator('.subtitle').first().textContent()).toContain(label);
        const w = rangeWindow(name, chrome.dash.asOf, chrome.dash.firstDay);
        const e = await expected(w.from, w.to);
        expect(count(await tileText(page, 'Carts')), name).toBe(e.carts);
        expect(count(await tileText(page, 'Checkouts')), name).toBe(e.checkouts);
        const points = Number(await page.locator('#fun-days').getAttribute('data-points'));
        expect(points, name).toBeGreaterThanOrEqual(30);
        expect(await page.locator('#fun-days').getAttribute('aria-label')).toMatch(/^Conversion by day/);
      }
    });
  });

  it('the live tab shows the carts open and the conversion over the last simulated hour', async () => {
    await onCleanPage(chrome.browser, async (page) => {
      await openTab(page, chrome.url, 'live');
      const { rows } = await chrome.dash.wh.client.query<Record<string, string>>(
        `with c as (${CARTS_SQL}), t as (select max(event_time) as t from cart_events)
         select count(*) filter (where not checked_out and not expired) as open,
                count(*) filter (where created_at > t.t - interval '1 hour') as created,
                count(*) filter (where checked_out and last_event_at > t.t - interval '1 hour') as checkouts
           from c, t`,
      );
      const e = rows[0]!;
      expect(Number(e.open)).toBeGreaterThan(0);
      expect(Number(e.created)).toBeGreaterThan(0);
      expect(count(await tileText(page, 'Carts open'))).toBe(Number(e.open));
      expect(await tileText(page, 'Cart conversion (last simulated hour)')).toBe(
        percent(Number(e.checkouts), Number(e.created)),
      );
      const note = await page
        .locator('#view .tile[data-tile="Cart conversion (last simulated hour)"] .change')
        .textContent();
      expect(note).toContain(`checked out ${e.checkouts} / created ${e.created} in the hour to`);
      await page.screenshot({ path: `${ARTIFACTS}live-carts.png`, fullPage: true });
    });
  });

  it('shows "no data yet" while orders have landed but no cart', async () => {
    const noCarts = await seededWarehouse('browser_nocarts', { orders: 150, days: 20 });
    const reader = new WarehouseReader(databaseUrl, noCarts.schema);
    const server = await buildDashboard({ db: reader, log });
    const serverUrl = await listenOnLoopback(server);
    try {
      await onCleanPage(chrome.browser, async (page) => {
        await openTab(page, serverUrl, 'funnel');
        expect(await page.locator('#view [data-empty]').textContent()).toMatch(
          /^no data yet, run npx orderflow run with storefront carts \(npx orderflow generate --carts writes them/,
        );
        expect(await page.locator('#view canvas').count()).toBe(0);
        await page.screenshot({ path: `${ARTIFACTS}funnel-empty.png`, fullPage: true });
      });
    } finally {
      await server.close();
      await reader.close();
      await noCarts.drop();
    }
  });
});
