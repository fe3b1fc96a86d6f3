import { describe, expect, it } from 'vitest';
import { parseReport, reportCsv, reportFileName, reportRows } from '../../../support/report.ts';
import type { Ticket } from '../../../support/tickets.ts';
import { reportsFixture } from './fixture.ts';

// The loader on the stack's real vsftpd and PostgreSQL with reports it cannot fully read: each
// unreadable line goes to support_dead_letter with the field at fault, counted, and the rest of the
// report loads; a file it cannot read at all is dead-lettered whole; the next reports still load, and
// a restart dead-letters nothing twice.

const HOUR = 3_600_000;
const D1 = Date.parse('2026-04-30T16:00:00Z'); // Manila day 2026-05-01
const tickets: Ticket[] = Array.from({ length: 12 }, (_, i) => ({
  ticket_id: `TKT-${(0x2000 + i).toString(16).toUpperCase()}`,
  order_id: null,
  customer_id: `C${i}`,
  customer_name: `Reyes, Ana ${i}`,
  email: `a${i}@example.ph`,
  phone: '+63 917 555 0102',
  category: 'Product Inquiry',
  trigger: 'inquiry',
  description: 'Asked about colours',
  created_at: D1 + (i % 2) * 24 * HOUR + i * HOUR,
  resolved_at: i % 3 === 0 ? null : D1 + (i % 2) * 24 * HOUR + i * HOUR + 2 * HOUR,
}));
const clean = { duplicate: 0, staleStatus: 0 };

describe('support report lines that cannot be read go to the dead letters', () => {
  const fx = reportsFixture('support_dlq', 'dlq');

  it('dead-letters each bad line with its field, loads the rest, and goes on to the next reports', async () => {
    // Day 1: two of its lines broken (a category not on the list, a resolution date in another format).
    const day1 = '2026-05-01';
    const lines = reportCsv(day1, reportRows(day1, tickets), clean, 1).split('\r\n');
    const rowsInFile = lines.length - 2; // header and the final empty string
    expect(rowsInFile).toBeGreaterThanOrEqual(5);
    const badCategory = lines[2]!.replace(',Product Inquiry,', ',Warranty,');
    const resolvedLine = lines.findIndex((l, i) => i > 2 && /,Resolved,\d{4}-/.test(l));
    expect(resolvedLine).toBeGreaterThan(2);
    const badDate = lines[resolvedLine]!.replace(/,Resolved,(\d{4})-(\d\d)-(\d\d) /, ',Resolved,$3/$2/$1 ');
    const broken = [...lines];
    broken[2] = badCategory;
    broken[resolvedLine] = badDate;
    await fx.session.upload(`${fx.dir}/${reportFileName(day1)}`, broken.join('\r\n'));
    // Day 2 clean; day 3 with a header that is not the report's.
    const day2 = '2026-05-02';
    await fx.session.upload(
      `${fx.dir}/${reportFileName(day2)}`,
      reportCsv(day2, reportRows(day2, tickets), clean, 1),
    );
    const day3 = '2026-05-03';
    await fx.session.upload(`${fx.dir}/${reportFileName(day3)}`, 'Ticket,Customer\nTKT-1,x\n');

    const first = fx.loader();
    const r = await first.loadOnce();
    expect(r.loaded).toEqual([day1, day2]);
    expect(r.rejected).toEqual([{ day: day3, reason: expect.stringContaining('line 1: the header is') }]);
    expect(r.deadLetters).toEqual([
      { day: day1, line: 3, field: 'Issue Category', reason: expect.stringContaining('"Warranty"') },
      {
        day: day1,
        line: resolvedLine + 1,
        field: 'Resolution Date',
        reason: expect.stringMatching(/Resolution Date "\d\d\/\d\d\/\d{4} [\d:]+" is not YYYY-MM-DD/),
      },
    ]);

    const letters = await fx.wh.client.query<{
      file_name: string;
      line: number;
      field: string;
      code: string;
      raw: string;
    }>('select file_name, line, field, code, raw from support_dead_letter order by report_day, line');
    expect(letters.rows).toEqual([
      { file_name: reportFileName(day1), line: 3, field: 'Issue Category', code: 'ORDERFLOW_DECODE_FAILED', raw: badCategory },
      { file_name: reportFileName(day1), line: resolvedLine + 1, field: 'Resolution Date', code: 'ORDERFLOW_DECODE_FAILED', raw: badDate },
      { file_name: reportFileName(day3), line: 0, field: 'header', code: 'ORDERFLOW_DECODE_FAILED', raw: 'Ticket,Customer\nTKT-1,x\n' },
    ]); // prettier-ignore
    const loads = await fx.wh.client.query<{ d: string; status: string; dead_letters: number; rows_in_file: number; rows_loaded: number }>(
      "select to_char(report_day, 'YYYY-MM-DD') as d, status, dead_letters, rows_in_file, rows_loaded from support_report_load order by report_day",
    ); // prettier-ignore
    const day2Rows = reportRows(day2, tickets).length;
    expect(loads.rows).toEqual([
      { d: day1, status: 'loaded', dead_letters: 2, rows_in_file: rowsInFile, rows_loaded: rowsInFile - 2 },
      { d: day2, status: 'loaded', dead_letters: 0, rows_in_file: day2Rows, rows_loaded: day2Rows },
      { d: day3, status: 'rejected', dead_letters: 1, rows_in_file: 0, rows_loaded: 0 },
    ]);

    // Every readable ticket of day 1 is in the warehouse, the two broken ones are not (day 2 does not name them).
    const readable = parseReport(
      [lines[0], ...lines.slice(1).filter((_, i) => i + 1 !== 2 && i + 1 !== resolvedLine)].join('\r\n'),
    );
    const loaded = (
      await fx.wh.client.query<{ ticket_id: string }>('select ticket_id from dim_support_ticket')
    ).rows.map((x) => x.ticket_id);
    for (const t of readable) expect(loaded).toContain(t.ticket_id);
    const brokenIds = [badCategory, badDate].map((l) => l.split(',')[0]!);
    const day2Ids = reportRows(day2, tickets).map((x) => x.ticket_id);
    for (const id of brokenIds.filter((x) => !day2Ids.includes(x))) expect(loaded).not.toContain(id);
    expect((await fx.session.list(`${fx.dir}/rejected`)).map((f) => f.name).sort()).toEqual([
      reportFileName(day3),
      `${reportFileName(day3)}.reason.txt`,
    ]);
    await first.close();

    // A restart: nothing loaded or dead-lettered twice.
    const again = fx.loader();
    expect(await again.loadOnce()).toEqual({ loaded: [], rejected: [], deadLetters: [], missing: [] });
    await again.close();
    expect(await fx.count('select count(*) as n from support_dead_letter')).toBe(3);
  });
});
