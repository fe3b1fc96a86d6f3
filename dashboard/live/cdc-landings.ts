/**
 * Reads the shop tables as the change stream landed them in the warehouse (migration 011): for the
 * tables whose rows carry the shop's change time (`updated_at`), the rows landed in the last
 * `windowMs` and, of the older ones, the one with the newest change, with the database's clock as "now". Null when the
 * warehouse has no shop tables (a pipeline run without the shop database).
 */
import { isMissingWarehouse, type Db } from '../warehouse-reader.ts';
import type { CdcLanding } from './cdc-lag.ts';

/** Shop tables with the shop's change time on every row (stock changes with every movement). */
const TABLES = ['shop_stock', 'shop_products'] as const;
/** At most this many recent rows per table (enough for percentiles, bounded for a busy shop). */
const ROWS = 5000;

export async function readCdcLandings(
  db: Db,
  windowMs: number,
): Promise<{ now: number; landings: CdcLanding[] } | null> {
  const parts = TABLES.map(
    (t) =>
      `(select '${t}' as t, updated_at, landed_at from ${t}
         where landed_at > clock_timestamp() - $1::double precision * interval '1 millisecond'
         order by landed_at desc limit ${ROWS})
       union all
       (select '${t}', updated_at, landed_at from ${t}
         where landed_at <= clock_timestamp() - $1::double precision * interval '1 millisecond'
         order by updated_at desc limit 1)`,
  );
  try {
    const rows = await db.rows<{ t: string; changed: string; landed: string }>(
      `select t, extract(epoch from updated_at) * 1000 as changed, extract(epoch from landed_at) * 1000 as landed
         from (${parts.join(' union all ')}) x`,
      [windowMs],
    );
    // Read after the rows, so that no row landed after "now".
    const [now] = await db.rows<{ now: string }>(
      'select extract(epoch from clock_timestamp()) * 1000 as now',
    );
    const landings: CdcLanding[] = rows.map((r) => ({
      table: r.t,
      changedAt: Number(r.changed),
      landedAt: Number(r.landed),
    }));
    return { now: Number(now!.now), landings };
  } catch (error) {
    if (isMissingWarehouse(error) || (error as { code?: string }).code === '42703') return null;
    throw error;
  }
}
