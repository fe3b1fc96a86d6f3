import { describe, expect, it } from 'vitest';
import { dayStart, manilaDay, reportCsv, reportFileName, reportRows } from '../../../support/report.ts';
import type { Ticket } from '../../../support/tickets.ts';
import { runChecks } from '../../../warehouse/check.ts';
import { ASSERTIONS } from '../../../warehouse/checks.ts';
import { reportsFixture } from './fixture.ts';

// The loader on the stack's real vsftpd and PostgreSQL: dirty reports load clean, a restart loads
// nothing twice, a missing day is named, an unparseable file is set aside and loading goes on.

const HOUR = 3_600_000;
const ticket = (i: number, created: number, resolvedAfterHours: number | null): Ticket => ({
  ticket_id: `TKT-${(0x1000 + i).toString(16).toUpperCase()}`,
  order_id: i % 2 ? `01ORDER${i}` : null,
  customer_id: `C${i}`,
  customer_name: `Santos, Maria ${i}`,
  email: `m${i}@example.ph`,
  phone: '+63 917 555 0101',
  category: i % 2 ? 'Shipping' : 'Product Inquiry',
  trigger: i % 2 ? 'late_delivery' : 'inquiry',
  description: i % 2 ? `Order 01ORDER${i}: delivered 5 h after its ETA` : 'Asked about sizes, "M" or "L"',
  created_at: created,
  resolved_at: resolvedAfterHours === null ? null : created + resolvedAfterHours * HOUR,
});

// Manila day 2026-04-01 starts at 2026-03-31T16:00Z.
const D1 = Date.parse('2026-03-31T16:00:00Z');
const tickets: Ticket[] = [];
for (let i = 0; i < 60; i++) {
  const day = i % 4; // days 1-4 (2026-04-01 .. 04-04)
  tickets.push(ticket(i, D1 + day * 24 * HOUR + (i % 20) * HOUR, i % 5 === 0 ? null : 3 + (i % 7) * 10));
}
const days = [
  '2026-04-01',
  '2026-04-02',
  '2026-04-03',
  '2026-04-04',
  '2026-04-05',
  '2026-04-06',
  '2026-04-07',
  '2026-04-08',
  '2026-04-09',
];
const dirt = { duplicate: 0.25, staleStatus: 0.4 };

describe('the support report loader', () => {
  const fx = reportsFixture('support', 'loader');
  const upload = (day: string) =>
    fx.session.upload(`${fx.dir}/${reportFileName(day)}`, reportCsv(day, reportRows(day, tickets), dirt, 3));

  it('loads dirty reports clean, names the missing day, and sets an unparseable file aside', async () => {
    // Days 1, 2 and 4 are on the server; day 3's report never came.
    for (const day of ['2026-04-01', '2026-04-02', '2026-04-04']) await upload(day);
    const first = fx.loader();
    const r = await first.loadOnce();
    expect(r.loaded).toEqual(['2026-04-01', '2026-04-02', '2026-04-04']);
    expect(r.missing).toEqual(['2026-04-03']);
    expect((await fx.wh.client.query('select report_day::text as d from support_report_gap')).rows).toEqual([
      { d: '2026-04-03' },
    ]);

    const loads = await fx.wh.client.query<{
      duplicates_removed: number;
      statuses_repaired: number;
      rule_violations: number;
    }>(
      'select duplicates_removed, statuses_repaired, rule_violations from support_report_load order by report_day',
    );
    expect(loads.rows.reduce((n, x) => n + x.duplicates_removed, 0)).toBeGreaterThan(0);
    expect(loads.rows.reduce((n, x) => n + x.statuses_repaired, 0)).toBeGreaterThan(0);
    expect(loads.rows.every((x) => x.rule_violations === 0)).toBe(true);

    // Every ticket of the loaded days once, with the true status: resolved ones Resolved with their date.
    const expected = new Map<string, Ticket>();
    for (const day of ['2026-04-01', '2026-04-02', '2026-04-04']) {
      for (const row of reportRows(day, tickets))
        expected.set(row.ticket_id, tickets.find((t) => t.ticket_id === row.ticket_id)!);
    }
    const dim = await fx.wh.client.query<{
      ticket_id: string;
      status: string;
      resolved_at: Date | null;
      order_id: string | null;
    }>('select ticket_id, status, resolved_at, order_id from dim_support_ticket order by ticket_id');
    expect(dim.rows.map((x) => x.ticket_id)).toEqual([...expected.keys()].sort());
    for (const row of dim.rows) {
      const t = expected.get(row.ticket_id)!;
      // Resolved where a loaded report says so: its creation day's, or the day it was resolved (04-03's never came).
      const loadedDays = ['2026-04-01', '2026-04-02', '2026-04-04'];
      const resolved =
        t.resolved_at !== null &&
        (t.resolved_at < dayStart(manilaDay(t.created_at)) + 24 * HOUR ||
          loadedDays.includes(manilaDay(t.resolved_at)));
      if (resolved)
        expect([row.ticket_id, row.status, row.resolved_at?.getTime()]).toEqual([
          t.ticket_id,
          'Resolved',
          t.resolved_at,
        ]);
      else expect(['Pending', 'In Progress']).toContain(row.status);
      expect(row.order_id).toBe(t.order_id);
    }
    expect(await fx.count("select count(*) as n from fact_support_ticket_event where event = 'opened'")).toBe(
      dim.rows.length,
    );

    // An unparseable file is moved aside with its reason; the next report still loads.
    await fx.session.upload(`${fx.dir}/${reportFileName('2026-04-05')}`, 'Ticket ID,Name\nTKT-1,x\n');
    await upload('2026-04-06');
    const second = await first.loadOnce();
    expect(second.rejected).toEqual([
      { day: '2026-04-05', reason: expect.stringContaining('line 1: the header is') },
    ]);
    expect(second.loaded).toEqual(['2026-04-06']);
    const rejected = (await fx.session.list(`${fx.dir}/rejected`)).map((f) => f.name).sort();
    expect(rejected).toEqual([reportFileName('2026-04-05'), `${reportFileName('2026-04-05')}.reason.txt`]);
    expect(
      await fx.session.download(`${fx.dir}/rejected/${reportFileName('2026-04-05')}.reason.txt`),
    ).toContain('expected "Ticket ID,');
    // The file is dead-lettered whole (line 0), with the field at fault and its text.
    expect((await fx.wh.client.query('select line, field, raw from support_dead_letter')).rows).toEqual([
      { line: 0, field: 'header', raw: 'Ticket ID,Name\nTKT-1,x\n' },
    ]);
    await first.close();
  });

  it('loads nothing twice after a restart', async () => {
    const before = await fx.count('select count(*) as n from fact_support_ticket_event');
    const again = fx.loader();
    const r = await again.loadOnce();
    await again.close();
    expect(r).toEqual({ loaded: [], rejected: [], deadLetters: [], missing: [] });
    expect(await fx.count('select count(*) as n from fact_support_ticket_event')).toBe(before);
    expect(await fx.count('select count(*) as n from support_report_load')).toBe(5);
  });

  it('closes tickets still open 7 days after creation (the 7-day rule)', async () => {
    for (const day of days.slice(6)) await upload(day); // 04-07 .. 04-09: empty days, the clock moves on
    const l = fx.loader();
    expect((await l.loadOnce()).loaded).toEqual(['2026-04-07', '2026-04-08', '2026-04-09']);
    await l.close();
    // Tickets created on 04-01 and 04-02 and never resolved are Closed at created + 7 days.
    const open = await fx.wh.client.query<{
      ticket_id: string;
      status: string;
      auto_closed: boolean;
      closed: boolean;
    }>(
      `select ticket_id, status, auto_closed, closed_at = created_at + interval '7 days' as closed
         from dim_support_ticket where resolved_at is null order by ticket_id`,
    );
    const stale = open.rows.filter((x) => x.status === 'Closed');
    expect(stale.length).toBeGreaterThan(0);
    expect(stale.every((x) => x.auto_closed && x.closed)).toBe(true);
    expect(
      await fx.count(
        "select count(*) as n from dim_support_ticket where status in ('Pending', 'In Progress') and created_at + interval '7 days' <= '2026-04-09T16:00:00Z'",
      ),
    ).toBe(0);
    expect(
      await fx.count("select count(*) as n from fact_support_ticket_event where event = 'auto_closed'"),
    ).toBe(stale.length);
  });

  it('passes the support data-quality checks, except the missing day, which it names', async () => {
    const support = ASSERTIONS.filter((a) => /support/.test(a.name));
    expect(support.length).toBeGreaterThanOrEqual(5);
    const results = await runChecks(fx.wh.client, support);
    expect(results.filter((r) => !r.passed).map((r) => [r.name, r.offending])).toEqual([
      ['no support report day missing', 1],
    ]);
    // A ticket left open past 7 days is caught.
    await fx.wh.client.query(
      "update dim_support_ticket set status = 'Pending', closed_at = null, auto_closed = false where ticket_id = (select min(ticket_id) from dim_support_ticket where status = 'Closed')",
    );
    const after = await runChecks(fx.wh.client, support);
    expect(after.find((r) => r.name === 'no support ticket open past 7 days')).toMatchObject({
      passed: false,
      offending: 1,
    });
  });

  it('feeds the support metric views: every ticket counted once per view, auto-closed share and backlog', async () => {
    const tickets = await fx.count('select count(*) as n from dim_support_ticket');
    expect(await fx.count('select sum(tickets) as n from metric_support_category')).toBe(tickets);
    expect(await fx.count('select sum(tickets_opened) as n from metric_support_daily')).toBe(tickets);
    expect(await fx.count('select sum(tickets) as n from metric_support_failure_reason')).toBe(tickets);
    expect(
      await fx.count("select tickets as n from metric_support_failure_reason where reason = 'no order'"),
    ).toBe(await fx.count('select count(*) as n from dim_support_ticket where order_id is null'));
    expect(await fx.count('select sum(auto_closed) as n from metric_support_category')).toBe(
      await fx.count('select count(*) as n from dim_support_ticket where auto_closed'),
    );
    // On the last day everything is resolved or closed except what was created within 7 days and is open.
    const last = await fx.wh.client.query<{ open_backlog: string }>(
      'select open_backlog from metric_support_daily order by day desc limit 1',
    );
    expect(Number(last.rows[0]!.open_backlog)).toBe(
      await fx.count(
        "select count(*) as n from dim_support_ticket where status in ('Pending', 'In Progress')",
      ),
    );
  });
});
