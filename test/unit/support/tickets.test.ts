import { describe, expect, it } from 'vitest';
import type { Order } from '../../../schemas/types.generated.ts';
import { cleanReport } from '../../../support/clean.ts';
import {
  dayStart,
  formatTime,
  manilaDay,
  parseReport,
  readReport,
  REPORT_COLUMNS,
  reportCsv,
  reportRows,
  ReportParseError,
} from '../../../support/report.ts';
import { CATEGORIES, DEFAULT_RATES, RESOLUTION, ticketsFor, type Ticket } from '../../../support/tickets.ts';
import { cancelledAtShipping, delivered, returned, timedOut } from '../splitter/sample-orders.ts';

const HOUR = 3_600_000;
const always = { timedOut: 1, cancelled: 1, returned: 1, lateDelivery: 1, inquiry: 0 };
const late: Order = {
  ...delivered,
  order_id: '01JXQ7M3Z8K2N4P6R8T0V2XLATE',
  shipping_info: { ...delivered.shipping_info, finished_date: delivered.shipping_info.eta! + 5 * HOUR },
};

describe('tickets from order outcomes', () => {
  it('opens one ticket per failure kind, in the right category, naming the order, after the event', () => {
    const cases: [Order, string, string][] = [
      [timedOut, 'timed_out', 'Billing'],
      [returned, 'returned', 'Returns and Refunds'],
      [late, 'late_delivery', 'Shipping'],
    ];
    for (const [order, trigger, category] of cases) {
      const [t, ...rest] = ticketsFor(order, 1, always);
      expect(rest).toEqual([]);
      expect(t).toMatchObject({
        trigger,
        category,
        order_id: order.order_id,
        customer_id: order.customer_info.customer_id,
      });
      expect(t!.description).toContain(`Order ${order.order_id}:`);
      const at = order.failure?.failed_at ?? order.shipping_info.finished_date!;
      expect(t!.created_at).toBeGreaterThanOrEqual(at);
      if (t!.resolved_at !== null) expect(t!.resolved_at).toBeGreaterThan(t!.created_at);
    }
    const [c] = ticketsFor(cancelledAtShipping, 1, always);
    expect(['Returns and Refunds', 'Billing']).toContain(c!.category);
  });

  it('opens none for an on-time delivery unless the base inquiry rate says so', () => {
    expect(ticketsFor(delivered, 1, always)).toEqual([]);
    const inquiry = ticketsFor(delivered, 1, { ...always, inquiry: 1 });
    expect(inquiry).toHaveLength(1);
    expect(inquiry[0]).toMatchObject({ trigger: 'inquiry', order_id: null });
  });

  it('is deterministic by seed and order id, and differs across seeds', () => {
    expect(ticketsFor(timedOut, 7, always)).toEqual(ticketsFor(timedOut, 7, always));
    const a = ticketsFor(timedOut, 7, always)[0]!;
    const b = ticketsFor(timedOut, 8, always)[0]!;
    expect(a.ticket_id).toBe(b.ticket_id); // the id names the order and the trigger, not the seed
    expect([a.created_at, a.resolved_at]).not.toEqual([b.created_at, b.resolved_at]);
  });

  it('resolves tickets within each category range, and leaves some open (seed 1..3000, tolerance 3 points)', () => {
    const tickets: Ticket[] = [];
    for (let seed = 1; seed <= 3000; seed++)
      tickets.push(...ticketsFor(returned, seed, DEFAULT_RATES).filter((t) => t.trigger === 'returned'));
    const r = RESOLUTION['Returns and Refunds'];
    const resolved = tickets.filter((t) => t.resolved_at !== null);
    expect(Math.abs(resolved.length / tickets.length - r.resolved)).toBeLessThan(0.03);
    for (const t of resolved) {
      const hours = (t.resolved_at! - t.created_at) / HOUR;
      expect(hours).toBeGreaterThanOrEqual(r.minHours);
      expect(hours).toBeLessThanOrEqual(r.maxHours);
    }
    expect(Math.abs(tickets.length / 3000 - DEFAULT_RATES.returned)).toBeLessThan(0.03);
  });
});

function ticket(id: string, created: string, resolved: string | null, category = CATEGORIES[0]): Ticket {
  const t = (s: string) => Date.parse(s);
  return {
    ticket_id: id,
    order_id: null,
    customer_id: 'C1',
    customer_name: 'Dela Cruz, Juan "JD"',
    email: 'jd@example.ph',
    phone: '+63 917 555 0101',
    category,
    trigger: 'inquiry',
    description: 'Asked, politely, about "sizes"',
    created_at: t(created),
    resolved_at: resolved === null ? null : t(resolved),
  };
}

describe('the daily report', () => {
  // Manila day 2026-03-10 runs from 2026-03-09T16:00Z to 2026-03-10T16:00Z.
  const day = '2026-03-10';
  const tickets = [
    ticket('TKT-0A', '2026-03-09T17:00:00Z', '2026-03-10T02:00:00Z'), // new, resolved the same day
    ticket('TKT-0B', '2026-03-10T15:30:00Z', null), // new late in the day, open: Pending
    ticket('TKT-0C', '2026-03-05T01:00:00Z', '2026-03-10T03:00:00Z'), // older, resolved today
    ticket('TKT-0D', '2026-03-05T01:00:00Z', null), // older, still open: not in the report
    ticket('TKT-0E', '2026-03-10T17:00:00Z', null), // tomorrow's
  ];

  it("holds the day's new tickets and the older ones resolved that day, in Manila time", () => {
    expect(manilaDay(Date.parse('2026-03-09T16:00:00Z'))).toBe(day);
    expect(dayStart(day)).toBe(Date.parse('2026-03-09T16:00:00Z'));
    const rows = reportRows(day, tickets);
    expect(rows.map((r) => [r.ticket_id, r.status])).toEqual([
      ['TKT-0C', 'Resolved'],
      ['TKT-0A', 'Resolved'],
      ['TKT-0B', 'Pending'],
    ]);
    expect(formatTime(rows[1]!.created_at)).toBe('2026-03-10 01:00:00');
  });

  it('writes and reads back the seed columns, quoting commas and quotes', () => {
    const rows = reportRows(day, tickets);
    const csv = reportCsv(day, rows, { duplicate: 0, staleStatus: 0 }, 1);
    expect(csv.split('\r\n')[0]).toBe(REPORT_COLUMNS.join(','));
    expect(parseReport(csv)).toEqual(rows);
  });

  it('adds seeded dirt that the loader cleans back to the true rows', () => {
    const many = Array.from({ length: 200 }, (_, i) =>
      ticket(
        `TKT-${(0x100 + i).toString(16).toUpperCase()}`,
        '2026-03-09T17:00:00Z',
        i % 3 ? '2026-03-10T05:00:00Z' : null,
      ),
    );
    const rows = reportRows(day, many);
    const dirty = parseReport(reportCsv(day, rows, { duplicate: 0.2, staleStatus: 0.3 }, 5));
    expect(dirty.length).toBeGreaterThan(rows.length + 20); // duplicates
    const stale = dirty.filter((r) => r.status === 'Pending' && r.resolved_at !== null).length;
    expect(stale).toBeGreaterThan(20);
    expect(reportCsv(day, rows, { duplicate: 0.2, staleStatus: 0.3 }, 5)).toBe(
      reportCsv(day, rows, { duplicate: 0.2, staleStatus: 0.3 }, 5),
    );
    const clean = cleanReport(day, dirty);
    expect(clean.duplicatesRemoved).toBe(dirty.length - rows.length);
    expect(clean.statusesRepaired).toBe(
      new Set(dirty.filter((r) => r.status === 'Pending' && r.resolved_at !== null).map((r) => r.ticket_id))
        .size,
    );
    expect(clean.ruleViolations).toBe(0);
    expect(clean.rows).toEqual(rows);
  });

  it('counts rows that break the report rules and does not keep them', () => {
    const rows = reportRows(day, tickets);
    const stray = {
      ...rows[0]!,
      ticket_id: 'TKT-FF',
      created_at: Date.parse('2026-03-01T00:00:00Z'),
      status: 'Pending' as const,
      resolved_at: null,
    };
    const clean = cleanReport(day, [...rows, stray]);
    expect(clean.ruleViolations).toBe(1);
    expect(clean.rows.map((r) => r.ticket_id)).not.toContain('TKT-FF');
  });

  it('names the line and field of an unparseable file', () => {
    expect(() => parseReport('Ticket,Name\n')).toThrow(ReportParseError);
    const good = reportCsv(day, reportRows(day, tickets), { duplicate: 0, staleStatus: 0 }, 1);
    expect(() => parseReport(good.replace('Resolved', 'Done'))).toThrow(/line 2: Resolution Status "Done"/);
    expect(() => parseReport(`${good}TKT-01,only,three\r\n`)).toThrow(/line 5: 3 fields, expected 9/);
    expect(() => parseReport(good.replace('2026-03-10 01:00:00', '10/03/2026'))).toThrow(
      /Date Created "10\/03\/2026"/,
    );
  });

  it('reads the good lines of a report and sets each bad one aside with its line, field and text', () => {
    const good = reportCsv(day, reportRows(day, tickets), { duplicate: 0, staleStatus: 0 }, 1);
    const lines = good.split('\r\n');
    expect(lines.length).toBeGreaterThanOrEqual(5); // header, 3 rows, the final empty string
    const badStatus = lines[2]!.replace(/,(Resolved|Pending|In Progress),/, ',Done,');
    expect(badStatus).not.toBe(lines[2]);
    const text = [lines[0], lines[1], badStatus, lines[3], 'TKT-01,only,three', ...lines.slice(4)].join(
      '\r\n',
    );
    const { rows, bad } = readReport(text);
    expect(rows).toEqual(parseReport(good).filter((_, i) => i !== 1));
    expect(bad).toEqual([
      {
        line: 3,
        field: 'Resolution Status',
        reason: expect.stringMatching(/^line 3: Resolution Status "Done"/),
        raw: badStatus,
      },
      { line: 5, field: 'field count', reason: 'line 5: 3 fields, expected 9', raw: 'TKT-01,only,three' },
    ]);
    // A quoted field with a line break and quotes: the raw text is the record as written.
    const quoted = `${lines[0]}\r\nTKT-0A,"Cruz, ""Jo""\nline",a@b.ph,1,Nowhere,x,2026-03-10 01:00:00,Pending,\r\n`;
    expect(readReport(quoted).bad).toEqual([
      {
        line: 2,
        field: 'Issue Category',
        reason: expect.stringContaining('Issue Category "Nowhere"'),
        raw: 'TKT-0A,"Cruz, ""Jo""\nline",a@b.ph,1,Nowhere,x,2026-03-10 01:00:00,Pending,',
      },
    ]);
  });

  it('cannot read a report whose header or quoting is broken, and names which', () => {
    expect(() => readReport('Ticket ID,Name\nTKT-1,x\n')).toThrow(
      expect.objectContaining({ field: 'header', message: expect.stringContaining('line 1: the header is') }),
    );
    expect(() => readReport(`${REPORT_COLUMNS.join(',')}\nTKT-1,"open\n`)).toThrow(
      expect.objectContaining({ field: 'quoting' }),
    );
  });
});
