import type { Db } from '../warehouse-reader.ts';
import type { RangeWindow } from '../range.ts';
import { manilaDays, n0, num, rangeRows, ratio } from './sql.ts';

/**
 * Tab "support": tickets of the daily support reports (migrations 009, 010) in the range: tiles,
 * tickets per day and per 1,000 orders, the open backlog, by category (time to resolve, share
 * auto-closed), by the failure reason of the ticket's order, and the report lines dead-lettered
 * (migration 013).
 */
export async function supportTab(db: Db, range: RangeWindow) {
  const inRange = rangeRows(db, range);
  const days = await inRange<{
    day: string;
    tickets_opened: string;
    tickets_resolved: string;
    tickets_auto_closed: string;
    orders: string;
    tickets_per_1000_orders: string | null;
    open_backlog: string;
  }>(
    `select to_char(day, 'YYYY-MM-DD') as day, tickets_opened, tickets_resolved, tickets_auto_closed, orders,
            tickets_per_1000_orders, open_backlog
       from metric_support_daily where day between $1::date and $2::date order by day`,
  );
  const categories = await inRange<{
    category: string;
    tickets: string;
    resolved: string;
    auto_closed: string;
    hours: string | null;
  }>(
    `select category, count(*) as tickets, count(*) filter (where status = 'Resolved') as resolved,
            count(*) filter (where auto_closed) as auto_closed,
            round((avg(extract(epoch from resolved_at - created_at)) / 3600)::numeric, 1) as hours
       from dim_support_ticket
      where ${manilaDays('created_at', 1, 2)}
      group by category order by count(*) desc, category`,
  );
  const reasons = await inRange<{ reason: string; tickets: string }>(
    `select case when t.order_id is null then 'no order'
                 else coalesce(o.failure_reason, lower(o.order_status), 'order not landed') end as reason,
            count(*) as tickets
       from dim_support_ticket t left join orders o on o.order_id = t.order_id
      where ${manilaDays('t.created_at', 1, 2)}
      group by 1 order by 2 desc, 1`,
  );
  // Report lines (and whole files) the loader could not read, of the reports of the range.
  const deadLetters = await inRange<{
    day: string;
    file_name: string;
    line: number;
    field: string;
    reason: string;
  }>(
    `select to_char(report_day, 'YYYY-MM-DD') as day, file_name, line, field, reason
       from support_dead_letter where report_day between $1::date and $2::date
      order by report_day desc, line`,
  );
  const opened = days.reduce((a, d) => a + n0(d.tickets_opened), 0);
  const orders = days.reduce((a, d) => a + n0(d.orders), 0);
  const autoClosed = days.reduce((a, d) => a + n0(d.tickets_auto_closed), 0);
  const closedOrResolved = autoClosed + days.reduce((a, d) => a + n0(d.tickets_resolved), 0);
  const tickets = categories.reduce((a, c) => a + n0(c.tickets), 0);
  const resolvedHours = categories.reduce((a, c) => a + (num(c.hours) ?? 0) * n0(c.resolved), 0);
  const resolved = categories.reduce((a, c) => a + n0(c.resolved), 0);
  return {
    tiles: {
      tickets: { value: opened },
      per1000Orders: { value: orders === 0 ? null : Math.round((10000 * opened) / orders) / 10 },
      hoursToResolve: { value: resolved === 0 ? null : Math.round((10 * resolvedHours) / resolved) / 10 },
      shareAutoClosed: { value: ratio(autoClosed, closedOrResolved) },
      backlog: { value: days.length ? n0(days.at(-1)!.open_backlog) : null },
      deadLetters: { value: deadLetters.length },
    },
    deadLetters: deadLetters.slice(0, 50).map((x) => ({
      day: x.day,
      file: x.file_name,
      line: x.line,
      field: x.field,
      reason: x.reason,
    })),
    days: days.map((d) => ({
      day: d.day,
      opened: n0(d.tickets_opened),
      resolved: n0(d.tickets_resolved),
      autoClosed: n0(d.tickets_auto_closed),
      per1000Orders: num(d.tickets_per_1000_orders),
      backlog: n0(d.open_backlog),
    })),
    categories: categories.map((c) => ({
      category: c.category,
      tickets: n0(c.tickets),
      resolved: n0(c.resolved),
      autoClosed: n0(c.auto_closed),
      shareAutoClosed: ratio(n0(c.auto_closed), n0(c.tickets)),
      hoursToResolve: num(c.hours),
    })),
    reasons: reasons.map((r) => ({
      reason: r.reason,
      tickets: n0(r.tickets),
      share: ratio(n0(r.tickets), tickets),
    })),
  };
}
