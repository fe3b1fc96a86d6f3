/**
 * Compare a shop table with its landed copy, row by row by key: rows missing from the warehouse,
 * rows the warehouse has that the shop does not, and rows whose columns differ. Pure.
 */

/** One row as text values (SQL `::text` in UTC), keyed by its key columns joined with "|". */
export type TextRows = Map<string, Record<string, string | null>>;

export interface TableDifference {
  table: string;
  missing: string[];
  extra: string[];
  different: { key: string; column: string; shop: string | null; landed: string | null }[];
}

export function compareTable(
  table: string,
  columns: readonly string[],
  shop: TextRows,
  landed: TextRows,
): TableDifference {
  const missing: string[] = [];
  const extra: string[] = [];
  const different: TableDifference['different'] = [];
  for (const [key, row] of shop) {
    const copy = landed.get(key);
    if (!copy) {
      missing.push(key);
      continue;
    }
    for (const column of columns) {
      if ((row[column] ?? null) !== (copy[column] ?? null))
        different.push({ key, column, shop: row[column] ?? null, landed: copy[column] ?? null });
    }
  }
  for (const key of landed.keys()) if (!shop.has(key)) extra.push(key);
  return { table, missing, extra, different };
}

export function isClean(d: TableDifference): boolean {
  return d.missing.length === 0 && d.extra.length === 0 && d.different.length === 0;
}

/** One line per difference (every one of them: the caller decides how much to show). */
export function describeDifferences(d: TableDifference): string[] {
  return [
    ...d.missing.map((k) => `${d.table} ${k}: in the shop database, not landed in the warehouse`),
    ...d.extra.map((k) => `${d.table} ${k}: landed in the warehouse, not in the shop database`),
    ...d.different.map(
      (x) =>
        `${d.table} ${x.key}: ${x.column} is ${x.shop ?? 'null'} in the shop, ${x.landed ?? 'null'} landed`,
    ),
  ];
}
