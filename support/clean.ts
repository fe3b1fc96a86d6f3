/**
 * The loader's cleaning of one parsed report, as rules (pure; docs in support/README.md):
 *   1. duplicates: rows with the same Ticket ID are one ticket; the row carrying a resolution date
 *      wins (then the first);
 *   2. status repair: a row marked Pending or In Progress that carries a Resolution Date is Resolved
 *      (the date is the evidence; the status was not updated); a Resolved row without a date is
 *      kept open (Pending): nothing says when it was resolved;
 *   3. report rules: a row belongs in the day's report if it was created that day, or created
 *      earlier and resolved that day; other rows are counted as rule violations and not loaded;
 *   4. the 7-day rule (applied in the warehouse, see closeStale): a ticket still open 7 days after
 *      it was created is Closed at created + 7 days.
 */
import { dayStart, type ReportRow } from './report.ts';

export const AUTO_CLOSE_MS = 7 * 86_400_000;

export interface CleanReport {
  rows: ReportRow[];
  duplicatesRemoved: number;
  statusesRepaired: number;
  ruleViolations: number;
}

export function cleanReport(day: string, parsed: readonly ReportRow[]): CleanReport {
  const byId = new Map<string, ReportRow>();
  let duplicatesRemoved = 0;
  for (const row of parsed) {
    const seen = byId.get(row.ticket_id);
    if (!seen) byId.set(row.ticket_id, row);
    else {
      duplicatesRemoved++;
      if (seen.resolved_at === null && row.resolved_at !== null) byId.set(row.ticket_id, row);
    }
  }
  let statusesRepaired = 0;
  let ruleViolations = 0;
  const start = dayStart(day);
  const end = start + 86_400_000;
  const rows: ReportRow[] = [];
  for (const row of byId.values()) {
    let r = row;
    if (r.status !== 'Resolved' && r.resolved_at !== null) {
      r = { ...r, status: 'Resolved' };
      statusesRepaired++;
    } else if (r.status === 'Resolved' && r.resolved_at === null) {
      r = { ...r, status: 'Pending' };
      statusesRepaired++;
    }
    const createdToday = r.created_at >= start && r.created_at < end;
    const resolvedToday = r.resolved_at !== null && r.resolved_at >= start && r.resolved_at < end;
    const resolvedInTime = r.resolved_at === null || (r.resolved_at >= r.created_at && r.resolved_at < end);
    if (!resolvedInTime || !(createdToday || (r.created_at < start && resolvedToday))) {
      ruleViolations++;
      continue;
    }
    rows.push(r);
  }
  return { rows, duplicatesRemoved, statusesRepaired, ruleViolations };
}
