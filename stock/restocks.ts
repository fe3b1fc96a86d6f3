/**
 * Replenishment on event time: the demand each order records, the purchase orders the reorder
 * policy raises (stock/reorder-policy.ts), and the clock that receives them and puts scheduled
 * prices in force.
 */
import type pg from 'pg';
import { addOnHand, LOCATION, movement } from './ledger.ts';
import {
  DEMAND_WINDOW_DAYS,
  demandDay,
  demandRate,
  reorderLevels,
  restockQuantity,
} from './reorder-policy.ts';

const DAY_MS = 86_400_000;

/** Count the units an order wanted of a SKU on its event-time day (the reorder policy's demand). */
export async function recordDemand(db: pg.Client, sku: number, units: number, at: number): Promise<void> {
  await db.query(
    `insert into stock_demand (sku, location_id, day, units) values ($1, $2, $3, $4)
     on conflict (sku, location_id, day) do update set units = stock_demand.units + excluded.units`,
    [sku, LOCATION, demandDay(at), units],
  );
}

/**
 * Raise a purchase order for each touched SKU whose inventory position (available plus on order)
 * fell below its reorder point, sized up to its order-up-to level; both follow the SKU's trailing
 * demand (stock/reorder-policy.ts). On order counts only the purchase orders raised at or before
 * this record's event time: one raised by a partition that is months ahead (a backfill read
 * partition by partition) arrives only when the clock gets there, and used to block every earlier
 * record's reorder until then (two-year backfill, seed 1: SKU 10 backordered from May 2024 on).
 */
export async function reorder(db: pg.Client, skus: number[], at: number): Promise<void> {
  const today = demandDay(at);
  const { rows } = await db.query<{
    sku: number;
    available: number;
    on_order: string;
    reorder_point: number;
    reorder_quantity: number;
    lead_time_days: number;
    units: string | null;
    first_day: number | null;
    n: string;
  }>(
    `select p.sku, s.on_hand - s.reserved as available, p.reorder_point, p.reorder_quantity, p.lead_time_days,
            (select coalesce(sum(r.quantity), 0) from restocks r
              where r.sku = p.sku and r.location_id = s.location_id and r.status = 'ordered'
                and r.ordered_at <= to_timestamp($5 / 1000.0)) as on_order,
            (select sum(d.units) from stock_demand d
              where d.sku = p.sku and d.location_id = s.location_id and d.day > $3::int - $4::int and d.day <= $3::int) as units,
            (select min(d.day) from stock_demand d where d.sku = p.sku and d.location_id = s.location_id) as first_day,
            (select count(*) from restocks r where r.sku = p.sku and r.location_id = s.location_id) as n
       from stock s join products p using (sku)
      where s.location_id = $2 and s.sku = any($1::int[])
      order by p.sku`,
    [skus, LOCATION, today, DEMAND_WINDOW_DAYS, at],
  );
  for (const r of rows) {
    const levels = reorderLevels(demandRate(Number(r.units ?? 0), today, r.first_day), {
      leadTimeDays: r.lead_time_days,
      minReorderPoint: r.reorder_point,
      minReorderQuantity: r.reorder_quantity,
    });
    const quantity = restockQuantity(r.available, Number(r.on_order), levels);
    if (quantity <= 0) continue;
    await db.query(
      `insert into restocks (restock_id, sku, location_id, quantity, status, ordered_at, expected_at)
       values ($1, $2, $3, $4, 'ordered', to_timestamp($5 / 1000.0), to_timestamp($6 / 1000.0))`,
      [
        `${r.sku}-${LOCATION}-${Number(r.n) + 1}`,
        r.sku,
        LOCATION,
        quantity,
        at,
        at + r.lead_time_days * DAY_MS,
      ],
    );
  }
}

/**
 * Move the event-time clock forward, put the scheduled price and cost in force by then on each
 * product (shop.price_changes, reference/price-schedule.ts) and receive every restock due by then.
 */
export async function advanceClock(db: pg.Client, at: number): Promise<void> {
  const { rows } = await db.query<{ event_time: Date }>(
    `insert into stock_clock (id, event_time) values (1, to_timestamp($1 / 1000.0))
     on conflict (id) do update set event_time = greatest(stock_clock.event_time, excluded.event_time)
     returning event_time`,
    [at],
  );
  await db.query(
    `update products p set price = c.price, cost = c.cost
       from (select distinct on (sku) sku, price, cost from price_changes
              where effective_at <= $1 order by sku, effective_at desc) c
      where c.sku = p.sku and (p.price, p.cost) is distinct from (c.price, c.cost)`,
    [rows[0]!.event_time],
  );
  await receiveRestocks(db, rows[0]!.event_time.getTime());
}

/** Receive every restock due by event time `at` (UTC ms): on the shelf at its expected time. */
export async function receiveRestocks(db: pg.Client, at: number): Promise<void> {
  const due = await db.query<{
    restock_id: string;
    sku: number;
    location_id: string;
    quantity: number;
    expected_at: Date;
  }>(
    `update restocks set status = 'received', received_at = expected_at
      where status = 'ordered' and expected_at <= to_timestamp($1 / 1000.0)
      returning restock_id, sku, location_id, quantity, expected_at`,
    [at],
  );
  for (const r of due.rows.sort(
    (a, b) => a.expected_at.getTime() - b.expected_at.getTime() || (a.restock_id < b.restock_id ? -1 : 1),
  )) {
    await addOnHand(db, r.sku, r.location_id, r.quantity);
    await movement(db, r.sku, 'restock', r.quantity, r.expected_at.getTime(), { restock: r.restock_id });
  }
}
