/**
 * The PostgreSQL side of the benchmarks: a fresh warehouse schema per run, the two ways of bulk
 * writing the landing rows (COPY, and INSERT ... ON CONFLICT in batches as the JDBC sink does), and
 * row counts for the sink and end-to-end runs.
 */
import { spawn } from 'node:child_process';
import pg from 'pg';
import { describeError, OrderflowError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { connectWarehouse, quoteIdent } from '../common/database.ts';
import { readSchema } from '../common/serde.ts';
import { migrate } from '../warehouse/migrate.ts';
import type { Customers, OrderItems, Orders } from '../schemas/types.generated.ts';

export type LandingTable = 'orders' | 'customers' | 'order_items';

/** Create `schema` and apply every warehouse migration to it (not timed). */
export async function freshSchema(databaseUrl: string, schema: string, log: Logger): Promise<void> {
  await migrate(databaseUrl, schema, log);
}

export async function dropSchema(databaseUrl: string, schema: string, log: Logger): Promise<void> {
  if (!schema.startsWith('bench_'))
    throw new OrderflowError('ORDERFLOW_USAGE', `refusing to drop schema ${schema}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    await client.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
  } catch (error) {
    log.warn({ err: describeError(error), schema }, 'could not drop the run schema');
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function rowCounts(client: pg.Client): Promise<Record<LandingTable, number>> {
  const { rows } = await client.query<{ o: string; c: string; i: string }>(
    'select (select count(*) from orders) as o, (select count(*) from customers) as c, (select count(*) from order_items) as i',
  );
  const r = rows[0]!;
  return { orders: Number(r.o), customers: Number(r.c), order_items: Number(r.i) };
}

export { connectWarehouse };

interface AvroField {
  name: string;
  type: unknown;
}

/** The fields of a landing table's split schema (schemas/split/<table>.avsc), in Avro order. */
function splitFields(table: LandingTable): AvroField[] {
  return (JSON.parse(readSchema(`split/${table}.avsc`)) as { fields: AvroField[] }).fields;
}

const TABLES: readonly LandingTable[] = ['orders', 'customers', 'order_items'];

/** Column order of each landing table: the Avro field order of its split schema, every field. */
export const COLUMNS = Object.fromEntries(
  TABLES.map((t) => [t, splitFields(t).map((f) => f.name)]),
) as Record<LandingTable, string[]>;

/** The columns whose values are timestamp-millis (a nullable union's branch included). */
const TIME_COLUMNS = new Set(
  TABLES.flatMap(splitFields)
    .filter((f) =>
      [f.type].flat().some((t) => (t as { logicalType?: string }).logicalType === 'timestamp-millis'),
    )
    .map((f) => f.name),
);

type Row = Orders | Customers | OrderItems;

/** A value as PostgreSQL takes it: timestamps as ISO 8601 UTC, decimals as their exact strings. */
export function sqlValue(column: string, value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (TIME_COLUMNS.has(column)) return new Date(value as number).toISOString();
  return value as string | number | boolean;
}

/** One CSV line (RFC 4180 quoting; an unquoted empty field is NULL in PostgreSQL's CSV COPY). */
export function csvLine(columns: readonly string[], row: Row): string {
  const fields = columns.map((c) => {
    const v = sqlValue(c, (row as unknown as Record<string, unknown>)[c]);
    if (v === null) return '';
    const s = String(v);
    return /[",\n\r]/.test(s) || s === '' ? `"${s.replaceAll('"', '""')}"` : s;
  });
  return fields.join(',') + '\n';
}

/**
 * COPY rows into a table through psql (libpq's COPY FROM STDIN): the fastest bulk path, used as
 * the ceiling of the sink. Returns the seconds psql took, process start included (~20 ms).
 */
export async function copyRows(
  databaseUrl: string,
  schema: string,
  table: LandingTable,
  rows: readonly Row[],
): Promise<number> {
  const columns = COLUMNS[table];
  const chunks: string[] = [];
  for (const row of rows) chunks.push(csvLine(columns, row));
  const body = chunks.join('');
  const sql = `copy ${quoteIdent(schema)}.${table} (${columns.join(', ')}) from stdin with (format csv)`;
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('psql', [databaseUrl, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (error) =>
      reject(new OrderflowError('ORDERFLOW_DATABASE_UNAVAILABLE', `psql could not start: ${error.message}`)),
    );
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(
            new OrderflowError(
              'ORDERFLOW_DATABASE_UNAVAILABLE',
              `COPY into ${table} failed: ${stderr.trim()}`,
            ),
          ),
    );
    child.stdin.end(body);
  });
  return (performance.now() - started) / 1000;
}

/**
 * Upsert rows as the JDBC sink does: INSERT ... ON CONFLICT (key) DO UPDATE, `batchSize` rows per
 * statement (the sink's batch.size), each batch in its own transaction. Returns seconds.
 */
export async function upsertRows(
  client: pg.Client,
  table: LandingTable,
  key: string,
  rows: readonly Row[],
  batchSize: number,
): Promise<number> {
  const columns = COLUMNS[table];
  const updates = columns
    .filter((c) => c !== key)
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  const started = performance.now();
  for (let i = 0; i < rows.length; i += batchSize) {
    const batch = rows.slice(i, i + batchSize);
    const params: unknown[] = [];
    const tuples = batch.map((row) => {
      const slots = columns.map((c) => {
        params.push(sqlValue(c, (row as unknown as Record<string, unknown>)[c]));
        return `$${params.length}`;
      });
      return `(${slots.join(', ')})`;
    });
    await client.query(
      `insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')} on conflict (${key}) do update set ${updates}`,
      params,
    );
  }
  return (performance.now() - started) / 1000;
}

/** The row count of each table, in one query. */
export async function countRows(client: pg.Client, tables: readonly string[]): Promise<number[]> {
  const sql = `select ${tables.map((t, i) => `(select count(*) from ${t}) as c${i}`).join(', ')}`;
  const { rows } = await client.query<Record<string, string>>(sql);
  return tables.map((_, i) => Number(rows[0]![`c${i}`]));
}
