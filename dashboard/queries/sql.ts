/**
 * Small SQL and number helpers shared by the tab queries. Every value reaches SQL as a parameter;
 * the only text spliced in is a column name chosen in code.
 */
import type { Db } from '../warehouse-reader.ts';

/** The rows of a tab's queries over the days of `range`: each reads its first day as $1, its last as $2. */
export function rangeRows(db: Db, range: { from: string; to: string }) {
  return <R>(sql: string) => db.rows<R>(sql, [range.from, range.to]);
}

/** `column` (timestamptz) falls on an Asia/Manila day between parameters $a and $b (ISO dates, inclusive). */
export function manilaDays(column: string, a: number, b: number): string {
  return `${column} >= ($${a}::date)::timestamp at time zone 'Asia/Manila'
     and ${column} < ($${b}::date + 1)::timestamp at time zone 'Asia/Manila'`;
}

/**
 * Every day from parameter $1 to $2 (ISO dates) with `columns` of `source` (a view or CTE with a
 * row per day in `dayColumn`), null where it has none; `day` as YYYY-MM-DD, in order.
 */
export function everyDay(source: string, dayColumn: string, columns: readonly string[]): string {
  return `select to_char(d.day, 'YYYY-MM-DD') as day, ${columns.map((c) => `s.${c}`).join(', ')}
             from generate_series($1::date, $2::date, interval '1 day') as d (day)
             left join ${source} s on s.${dayColumn} = d.day::date
            order by d.day`;
}

/**
 * A tab's day series over the data span, as a query and its parameters: the metric `view`'s rows
 * when no province is chosen (views have no province), else the same `columns` from `perDay`, a
 * query over the facts with a row per `order_day` that keeps the days $1 to $2 and the province $3.
 */
export function daySeries(
  view: string,
  columns: readonly string[],
  span: { firstDay: string; asOf: string },
  province: string | null,
  perDay: string,
): [string, unknown[]] {
  return province === null
    ? [everyDay(view, 'day', columns), [span.firstDay, span.asOf]]
    : [
        `with per_day as (${perDay})
         ${everyDay('per_day', 'order_day', columns)}`,
        [span.firstDay, span.asOf, province],
      ];
}

/** Optional province filter on parameter $p (null = every province). */
export function provinceIs(column: string, p: number): string {
  return `($${p}::text is null or ${column} = $${p}::text)`;
}

/** PostgreSQL numeric/bigint (text) to a JS number; null stays null. */
export function num(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  return Number(value);
}

/** Like num, but missing means 0 (counts and sums). */
export function n0(value: string | number | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** A decimal amount ("1234.50", "0") to whole centavos; sums in centavos stay exact. */
export function cents(value: string | number | null | undefined): number {
  return value === null || value === undefined ? 0 : Math.round(Number(value) * 100);
}

export function pesos(centavos: number): number {
  return centavos / 100;
}

/** A product as the tabs show it: its SKU, its name (`SKU <n>` when the catalogue has none), its category. */
export function product<C>(p: { sku: number; product_name: string | null; category: C }) {
  return { sku: p.sku, name: p.product_name ?? `SKU ${p.sku}`, category: p.category };
}

/** a / b rounded to `digits`, or null when b is 0. */
export function ratio(a: number, b: number, digits = 4): number | null {
  if (b === 0) return null;
  const f = 10 ** digits;
  return Math.round((a / b) * f) / f;
}

export interface Filter {
  from: string;
  to: string;
  province: string | null;
}
