import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { connectWarehouse } from '../../../common/database.ts';
import { PROFILES } from '../../../processors/profiles.ts';
import { topicName } from '../../../schemas/topics.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import type { SupportLoader } from '../../../support/loader.ts';
import { manilaDay, REPORT_FILE, reportFileName } from '../../../support/report.ts';
import { startSupport, type SupportDesk } from '../../../support/service.ts';
import { ticketsFor } from '../../../support/tickets.ts';
import { runChain } from '../../unit/processors/chain.ts';
import { conn, createTopics, deleteTopics, log, uniquePrefix } from '../helpers.ts';
import { inputProducer, sampleOrders } from '../processors/pipeline.ts';
import { databaseUrl } from '../warehouse/fresh-schema.ts';
import { ftp, reportsFixture } from './fixture.ts';

// The support desk on the real broker, registry, PostgreSQL and vsftpd: tickets exactly once across
// a restart, one report per day uploaded with the previous one deleted, and the loader keeping up.

const SEED = 11;
const orders: Order[] = sampleOrders(400, 23).map((o) => runChain(o, SEED, PROFILES.default));
const expectedTickets = new Map(orders.flatMap((o) => ticketsFor(o, SEED)).map((t) => [t.ticket_id, t]));

/** The desk's options for a test: its own topics, schema and FTP directory. */
function deskOptions(
  prefix: string,
  deskSchema: string,
  ftpDir: string,
  o: { instanceId: string; dirt: { duplicate: number; staleStatus: number }; reportIntervalMs: number },
) {
  return {
    ...conn,
    databaseUrl,
    deskSchema,
    topicPrefix: prefix,
    partitions: 1,
    seed: SEED,
    batchSize: 50,
    ftp,
    ftpDir,
    reportDelayHours: 0,
    log,
    onFatal: (error: unknown) => log.error({ err: String(error) }, 'fatal'),
    ...o,
  };
}

/** Each order's outcome into finished_orders or failed_orders, as the stages would write it. */
async function sendOutcomes(prefix: string, batch: Order[]): Promise<void> {
  const p = await inputProducer(prefix);
  for (const o of batch) {
    await p.sendRaw(topicName(o.failure ? 'failed' : 'finished', prefix), [
      { key: o.order_id, value: p.encoder.encode(o) },
    ]);
  }
  await p.close();
}

/**
 * A desk test's surroundings, set up before its tests and torn down after them (the fixture
 * registers its own hooks): the loader's schema and FTP directory (reportsFixture), topics of its
 * own prefix (one partition), the desk's schema, a connection, and the desk itself, stopped after
 * the tests if still running.
 */
function deskFixture(tag: string, name: string) {
  const prefix = uniquePrefix(tag);
  const deskSchema = `desk_${prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 60);
  const fx = Object.assign(reportsFixture(name, name), {
    prefix,
    deskSchema,
    desk: undefined as SupportDesk | undefined,
    db: undefined as unknown as pg.Client,
    /** Start a desk on the fixture's topics, schema and directory (`o` as for deskOptions). */
    async start(o: Parameters<typeof deskOptions>[3]): Promise<SupportDesk> {
      fx.desk = await startSupport(deskOptions(prefix, deskSchema, fx.dir, o));
      return fx.desk;
    },
  });
  beforeAll(async () => {
    await createTopics(prefix, 1);
    fx.db = await connectWarehouse(databaseUrl, 'public');
  });
  afterAll(async () => {
    await fx.desk?.stop();
    await fx.db.query(`drop schema if exists ${deskSchema} cascade`);
    await fx.db.end();
    await deleteTopics(prefix);
  });
  return fx;
}

describe('the support desk simulator', () => {
  const fx = deskFixture('sup', 'desk');
  const { prefix } = fx;

  const start = () =>
    fx.start({
      instanceId: 'it',
      dirt: { duplicate: 0.1, staleStatus: 0.2 },
      // Long: the desk must move on at the loader's receipts, not at this interval.
      reportIntervalMs: 30_000,
    });
  const send = (batch: Order[]) => sendOutcomes(prefix, batch);
  const ticketCount = async () =>
    Number((await fx.db.query<{ n: string }>('select count(*) as n from tickets')).rows[0]!.n);

  // The loader polls the server all along, as in `orderflow run` (its hooks run after and before
  // the fixture's: vitest runs after-hooks in reverse order).
  let loader: SupportLoader;
  let loading: Promise<void>;
  let stopLoading = false;
  beforeAll(() => {
    loader = fx.loader();
    loading = loader.run(100, () => stopLoading);
  });
  afterAll(async () => {
    stopLoading = true;
    await loading.catch(() => undefined);
    await loader.close();
  });

  it('opens each ticket exactly once across a restart, uploads one report a day and deletes the previous one', async () => {
    const half = Math.floor(orders.length / 2);
    await send(orders.slice(0, half));
    let desk = await start();
    await fx.db.query(`set search_path = ${fx.deskSchema}`);
    const partial = new Set(
      orders
        .slice(0, half)
        .flatMap((o) => ticketsFor(o, SEED))
        .map((t) => t.ticket_id),
    );
    for (let i = 0; i < 120 && (await ticketCount().catch(() => 0)) < partial.size; i++) await sleep(500);
    expect(await ticketCount()).toBe(partial.size);
    await desk.stop();

    // Restart: the rest of the orders, and the first half again is not applied twice.
    await send(orders.slice(half));
    desk = await start();
    for (let i = 0; i < 120 && (await ticketCount()) < expectedTickets.size; i++) await sleep(500);
    await sleep(1000);
    const stored = await fx.db.query<{
      ticket_id: string;
      created_at: string;
      resolved_at: string | null;
      category: string;
    }>('select ticket_id, created_at, resolved_at, category from tickets');
    expect(stored.rows.length).toBe(expectedTickets.size);
    for (const row of stored.rows) {
      const t = expectedTickets.get(row.ticket_id)!;
      expect([
        Number(row.created_at),
        row.resolved_at === null ? null : Number(row.resolved_at),
        row.category,
      ]).toEqual([t.created_at, t.resolved_at, t.category]);
    }
    const offsets = await fx.db.query<{ topic: string; next_offset: string }>(
      'select topic, next_offset from input_offsets order by topic',
    );
    const failed = orders.filter((o) => o.failure).length;
    expect(offsets.rows.map((r) => [r.topic, Number(r.next_offset)])).toEqual(
      [
        [topicName('failed', prefix), failed],
        [topicName('finished', prefix), orders.length - failed],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );

    // Reports: every day from the first ticket's to the last day every partition has passed.
    const lowEvent = Math.min(
      ...['failed', 'finished'].map((k) =>
        Math.max(
          ...orders
            .filter((o) => (k === 'failed') === (o.failure !== null))
            .map((o) => o.failure?.failed_at ?? o.shipping_info.finished_date!),
        ),
      ),
    );
    const firstDay = manilaDay(Math.min(...[...expectedTickets.values()].map((t) => t.created_at)));
    const lastDay = manilaDay(lowEvent - 86_400_000);
    for (let i = 0; i < 120; i++) {
      const n = await fx.db.query<{ d: string }>("select to_char(max(day), 'YYYY-MM-DD') as d from reports");
      if ((n.rows[0]?.d ?? '') >= lastDay) break;
      await sleep(500);
    }
    const reports = await fx.db.query<{ d: string }>(
      "select to_char(day, 'YYYY-MM-DD') as d from reports order by day",
    );
    expect(reports.rows[0]!.d).toBe(firstDay);
    expect(reports.rows.at(-1)!.d >= lastDay).toBe(true);
    const files = (await fx.session.list(fx.dir)).map((f) => f.name).filter((n) => REPORT_FILE.test(n));
    expect(files).toEqual([reportFileName(reports.rows.at(-1)!.d)]);
    // Every report but perhaps the newest was taken by the loader before the desk moved on.
    expect(desk.uploaded.length).toBeGreaterThan(2);
    expect(desk.receipted).toBeGreaterThanOrEqual(desk.uploaded.length - 1);
    // Only the newest report's receipt (if the loader has it yet) is left on the server.
    const receipts = (await fx.session.list(`${fx.dir}/received`)).map((f) => f.name);
    expect(receipts.every((n) => n === reportFileName(reports.rows.at(-1)!.d))).toBe(true);
    expect(desk.lateTickets).toBe(0);
  });

  it('feeds the loader, which keeps up: every report loaded once, no day missing, every ticket once', async () => {
    await fx.desk!.stop();
    fx.desk = undefined;
    await sleep(1000);
    stopLoading = true;
    await loading;
    const uploaded = (
      await fx.db.query<{ d: string }>("select to_char(day, 'YYYY-MM-DD') as d from reports order by day")
    ).rows;
    const loaded = await fx.wh.client.query<{ d: string; status: string }>(
      "select to_char(report_day, 'YYYY-MM-DD') as d, status from support_report_load order by report_day",
    );
    expect(loaded.rows).toEqual(uploaded.map((r) => ({ d: r.d, status: 'loaded' })));
    expect((await fx.wh.client.query('select * from support_report_gap')).rows).toEqual([]);
    const lastDay = uploaded.at(-1)!.d;
    const reported = [...expectedTickets.values()].filter((t) => manilaDay(t.created_at) <= lastDay);
    const n = await fx.wh.client.query<{ n: string; distinct_ids: string }>(
      'select count(*) as n, count(distinct ticket_id) as distinct_ids from dim_support_ticket',
    );
    expect([Number(n.rows[0]!.n), Number(n.rows[0]!.distinct_ids)]).toEqual([
      reported.length,
      reported.length,
    ]);
  });
});

describe('the support desk with no loader running', () => {
  const fx = deskFixture('sup-alone', 'desk_alone');

  it('moves on after its interval, deleting reports unread, and the loader names the days it missed', async () => {
    await sendOutcomes(fx.prefix, orders);
    const desk = await fx.start({
      instanceId: 'it-alone',
      dirt: { duplicate: 0, staleStatus: 0 },
      reportIntervalMs: 2000,
    });
    const loader = fx.loader();
    try {
      // The loader takes the first report, then is gone while the desk uploads three more.
      for (let i = 0; i < 600 && desk.uploaded.length < 1; i++) await sleep(100);
      expect((await loader.loadOnce()).loaded).toEqual([desk.uploaded[0]]);
      for (let i = 0; i < 120 && desk.uploaded.length < 4; i++) await sleep(500);
      await desk.stop();
      const uploaded = desk.uploaded;
      expect(uploaded.length).toBeGreaterThanOrEqual(4);
      expect(desk.receipted).toBe(1);
      const files = (await fx.session.list(fx.dir)).map((f) => f.name).filter((n) => REPORT_FILE.test(n));
      expect(files).toEqual([reportFileName(uploaded.at(-1)!)]);
      fx.desk = undefined;

      // Back: it loads the newest report and names each day deleted before it came.
      const r = await loader.loadOnce();
      expect(r.loaded).toEqual([uploaded.at(-1)]);
      expect(r.missing).toEqual(uploaded.slice(1, -1));
      const gaps = await fx.wh.client.query<{ d: string }>(
        "select to_char(report_day, 'YYYY-MM-DD') as d from support_report_gap order by report_day",
      );
      expect(gaps.rows.map((g) => g.d)).toEqual(uploaded.slice(1, -1));
      expect((await fx.session.list(`${fx.dir}/received`)).map((f) => f.name)).toEqual([
        reportFileName(uploaded.at(-1)!),
      ]);
    } finally {
      await loader.close();
    }
  });
});
