/**
 * Results of `orderflow sql` as a text table, the way Flink's SQL client prints them in tableau mode:
 * a header, then rows as they arrive (a streaming query never ends), each with its change kind
 * (+I insert, -U/+U update before/after, -D delete). Column widths come from the column types, so
 * rows can be printed one page at a time. Pure: no I/O.
 */
import type { Column, Row } from '../common/flink-gateway.ts';

const KIND: Record<Row['kind'], string> = {
  INSERT: '+I',
  UPDATE_BEFORE: '-U',
  UPDATE_AFTER: '+U',
  DELETE: '-D',
};

/** The printed width of a column: enough for its type's values (long strings are cut), and its name. */
export function columnWidth(c: Column): number {
  const t = c.logicalType;
  const byType: Record<string, number> = {
    BOOLEAN: 5,
    TINYINT: 4,
    SMALLINT: 6,
    INTEGER: 11,
    BIGINT: 20,
    FLOAT: 12,
    DOUBLE: 20,
    DATE: 10,
    TIMESTAMP_WITHOUT_TIME_ZONE: 23,
    TIMESTAMP_WITH_LOCAL_TIME_ZONE: 23,
  };
  let w = byType[t.type];
  if (w === undefined) {
    if (t.type === 'DECIMAL') w = (t.precision ?? 10) + 2;
    else if (t.type === 'CHAR' || t.type === 'VARCHAR') w = Math.min(t.length ?? 30, 30);
    else w = 30;
  }
  return Math.max(w, c.name.length, 4);
}

/** A value as text; a DECIMAL (a JSON number from the gateway) keeps its scale: 1402.20, not 1402.2. */
export function formatValue(v: unknown, c?: Column): string {
  if (v === null || v === undefined) return '<NULL>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && c?.logicalType.type === 'DECIMAL') return v.toFixed(c.logicalType.scale ?? 0);
  return JSON.stringify(v);
}

function cell(text: string, width: number, right: boolean): string {
  const cut = text.length > width ? `${text.slice(0, width - 3)}...` : text;
  return right ? cut.padStart(width) : cut.padEnd(width);
}

const NUMERIC = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'FLOAT', 'DOUBLE', 'DECIMAL']);

export class ResultTable {
  private readonly widths: number[];
  private readonly right: boolean[];
  count = 0;

  constructor(
    readonly columns: Column[],
    private readonly withKind: boolean,
  ) {
    this.widths = columns.map(columnWidth);
    this.right = columns.map((c) => NUMERIC.has(c.logicalType.type));
  }

  private line(): string {
    const parts = this.widths.map((w) => '-'.repeat(w + 2));
    return `+${this.withKind ? '----+' : ''}${parts.join('+')}+`;
  }

  header(): string[] {
    const names = this.columns.map((c, i) => ` ${cell(c.name, this.widths[i]!, this.right[i]!)} `);
    return [this.line(), `|${this.withKind ? ' op |' : ''}${names.join('|')}|`, this.line()];
  }

  rows(rows: Row[]): string[] {
    this.count += rows.length;
    return rows.map((r) => {
      const cells = r.fields.map(
        (v, i) => ` ${cell(formatValue(v, this.columns[i]), this.widths[i] ?? 30, this.right[i] ?? false)} `,
      );
      return `|${this.withKind ? ` ${KIND[r.kind]} |` : ''}${cells.join('|')}|`;
    });
  }

  footer(): string[] {
    return [this.line(), `${this.count} row${this.count === 1 ? '' : 's'}`];
  }
}
