import pg from 'pg';
import { OrderflowError, describeError } from '../common/errors.ts';
import { assertSchemaName } from '../common/database.ts';
import { redactUrl } from '../common/database.ts';

/** The few query shapes the tab queries need; a pg.Pool whose search_path is the warehouse schema. */
export interface Db {
  rows<R>(sql: string, params?: unknown[]): Promise<R[]>;
}

export const NO_DATA_MESSAGE = 'no data yet, run `npx orderflow run`';

/** PostgreSQL errors that mean "the warehouse is not there yet" rather than "something broke". */
const MISSING = new Set(['42P01', '3F000', '42883']); // undefined table/view, schema, function

export function isMissingWarehouse(error: unknown): boolean {
  return MISSING.has((error as { code?: string } | null)?.code ?? '');
}

export class WarehouseReader implements Db {
  readonly pool: pg.Pool;

  constructor(
    readonly databaseUrl: string,
    readonly schema: string,
  ) {
    assertSchemaName(schema);
    this.pool = new pg.Pool({
      connectionString: databaseUrl,
      options: `-c search_path=${schema}`,
      max: 4,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 5_000,
      statement_timeout: 30_000,
    });
    // An idle client dropped by the server must not crash the dashboard.
    this.pool.on('error', () => undefined);
  }

  async rows<R>(sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query(sql, params)).rows as R[];
    } catch (error) {
      if (isMissingWarehouse(error)) throw error;
      const code = (error as { code?: string }).code ?? '';
      const unreachable =
        /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|timeout|terminat/i.test(describeError(error)) ||
        code.startsWith('08');
      if (unreachable) {
        throw new OrderflowError(
          'ORDERFLOW_DATABASE_UNAVAILABLE',
          `PostgreSQL at ${redactUrl(this.databaseUrl)} did not answer: ${describeError(error)}`,
          { cause: error, retriable: true },
        );
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** The days the landed orders span, or null when there are none (or no warehouse yet). */
export interface DataSpan {
  firstDay: string;
  asOf: string;
  orders: number;
}

export async function dataSpan(db: Db): Promise<DataSpan | null> {
  try {
    const [row] = await db.rows<{ first_day: string | null; last_day: string | null; orders: string }>(
      `select to_char(min(order_date) at time zone 'Asia/Manila', 'YYYY-MM-DD') as first_day,
              to_char(max(order_date) at time zone 'Asia/Manila', 'YYYY-MM-DD') as last_day,
              count(*) as orders
         from orders`,
    );
    if (!row || !row.first_day || !row.last_day) return null;
    return { firstDay: row.first_day, asOf: row.last_day, orders: Number(row.orders) };
  } catch (error) {
    if (isMissingWarehouse(error)) return null;
    throw error;
  }
}
