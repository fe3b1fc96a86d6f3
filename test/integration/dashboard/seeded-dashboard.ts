import { createLogger } from '../../../common/logger.ts';
import type { PipelineWatcher } from '../../../dashboard/live/pipeline.ts';
import { buildDashboard } from '../../../dashboard/server.ts';
import { WarehouseReader } from '../../../dashboard/warehouse-reader.ts';
import { databaseUrl, seededWarehouse, type SeededWarehouse } from './seeded-warehouse.ts';

/** A dashboard (not listening: inject requests or listen yourself) over a seeded warehouse schema. */
export interface SeededDashboard {
  wh: SeededWarehouse;
  db: WarehouseReader;
  app: Awaited<ReturnType<typeof buildDashboard>>;
  /** The Manila days of the first and the last seeded order (YYYY-MM-DD). */
  firstDay: string;
  asOf: string;
  /** Closes the dashboard, its watcher if any, and the reader, then drops the schema. */
  close: () => Promise<void>;
}

/**
 * seededWarehouse(label, options) with a warehouse reader and a dashboard on it; `watch` makes the
 * dashboard's pipeline watcher (the live tab) from the reader.
 */
export async function seededDashboard(
  label: string,
  options: Parameters<typeof seededWarehouse>[1],
  watch?: (db: WarehouseReader) => PipelineWatcher,
): Promise<SeededDashboard> {
  const wh = await seededWarehouse(label, options);
  const db = new WarehouseReader(databaseUrl, wh.schema);
  let watcher: PipelineWatcher | undefined;
  let app: SeededDashboard['app'] | undefined;
  const close = async () => {
    await app?.close();
    await watcher?.close();
    await db.close();
    await wh.drop();
  };
  try {
    watcher = watch?.(db);
    app = await buildDashboard({ db, watcher, log: createLogger('dashboard-test', 'warn') });
    const { rows } = await wh.client.query<{ first: string; last: string }>(
      `select to_char(min(order_date) at time zone 'Asia/Manila', 'YYYY-MM-DD') as first,
              to_char(max(order_date) at time zone 'Asia/Manila', 'YYYY-MM-DD') as last from orders`,
    );
    return { wh, db, app, firstDay: rows[0]!.first, asOf: rows[0]!.last, close };
  } catch (err) {
    await close();
    throw err;
  }
}
