/**
 * The dashboard's Kafka views in Debian's Chromium (playwright-core): each view renders with no
 * console errors on real topics of its own prefix (orders produced, a dead letter), following an
 * order shows its records, and a dead letter is replayed from the page. Screenshots of every view
 * go to test/browser/screenshots/ (git-ignored). Needs `npm run build:web` first.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createKafka } from '../../common/kafka.ts';
import { pipelineNames } from '../../common/names.ts';
import { buildDashboard } from '../../dashboard/server.ts';
import { WarehouseReader } from '../../dashboard/warehouse-reader.ts';
import { deadLetterMessage } from '../../runtime/dead-letter.ts';
import { databaseUrl } from '../integration/dashboard/seeded-warehouse.ts';
import { conn, createTopics, deleteTopics, log, uniquePrefix } from '../integration/helpers.ts';
import { inputProducer, sampleOrders } from '../integration/processors/pipeline.ts';
import { dashboardKafkaOptions } from '../integration/dashboard/kafka-views-fixture.ts';
import { dashboardInChromium, openTab, recordingPage } from './chromium.ts';

const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const prefix = uniquePrefix('kvb');
const names = pipelineNames(prefix);

/** Each view, with an element that shows it rendered real content. */
const VIEWS: { tab: string; query?: string; shows: string }[] = [
  { tab: 'topics', shows: `#kafka-topics tr[data-topic="${names.topic('unpaid')}"]` },
  { tab: 'messages', query: `topic=${names.topic('unpaid')}`, shows: 'details.record' },
  { tab: 'follow', shows: '#follow-steps tbody tr' },
  { tab: 'groups', shows: `[data-group="${names.group('payment')}"]` },
  { tab: 'schemas', shows: `#schema-subjects tr[data-subject="${names.topic('unpaid')}-value"]` },
  { tab: 'connectors', shows: '[data-connector]' },
  { tab: 'dead-letters', shows: '[data-dead-letter]' },
  { tab: 'produce', shows: '#produce-json' },
];

describe('Kafka views in Chromium', () => {
  const db = new WarehouseReader(databaseUrl, 'public');
  let orderId = '';

  const chrome = dashboardInChromium(
    async () => {
      mkdirSync(SHOTS, { recursive: true });
      await createTopics(prefix, 2);
      const orders = sampleOrders(6, 5);
      orderId = orders[0]!.order_id;
      const input = await inputProducer(prefix);
      await input.send(orders.slice(0, 5));
      const source = {
        topic: names.topic('unpaid'),
        partition: 0,
        offset: '77',
        key: null,
        timestamp: '0',
      } as never;
      await input.sendRaw(names.dlq(names.topic('unpaid')), [
        {
          ...deadLetterMessage(
            source,
            input.encoder.encode(orders[5]!),
            undefined,
            'payment',
            'ORDERFLOW_INVARIANT_VIOLATED',
            'browser test',
          ),
          key: orders[5]!.order_id,
        },
      ]);
      await input.close();
      const app = await buildDashboard({ db, log, kafka: dashboardKafkaOptions(prefix) });
      return { app, close: () => app.close() };
    },
    async () => {
      await db.close();
      await deleteTopics(prefix).catch(() => undefined);
      const admin = createKafka(conn.kafkaBootstrap, 'kvb-cleanup', log).admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [names.dlqActions] }).catch(() => undefined);
      await admin.disconnect();
    },
  );

  async function open(tab: string, query = ''): Promise<{ page: Page; errors: string[] }> {
    const { page, errors } = await recordingPage(chrome.browser, 1000);
    await openTab(page, chrome.url, tab, query);
    return { page, errors };
  }

  for (const v of VIEWS) {
    it(`${v.tab} renders without console errors`, async () => {
      const query = v.tab === 'follow' ? `order=${orderId}` : v.query;
      const { page, errors } = await open(v.tab, query);
      try {
        await page.waitForSelector(v.shows, { timeout: 20_000 });
        expect(await page.$$('#view [data-error="true"]')).toHaveLength(0);
        await page.screenshot({ path: `${SHOTS}${v.tab}.png`, fullPage: v.tab !== 'messages' });
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }

  it('a dead letter is replayed from the page, once', async () => {
    const { page, errors } = await open('dead-letters');
    try {
      await page.click('[data-dead-letter] button[data-act="replay"]');
      await page.waitForSelector('#dlq-message [data-done]', { timeout: 20_000 });
      await page.waitForSelector('[data-dead-letter] .pill.ok', { timeout: 20_000 });
      expect(await page.$$('[data-dead-letter] button[data-act="replay"]')).toHaveLength(0);
      await page.screenshot({ path: `${SHOTS}dead-letters-replayed.png`, fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
