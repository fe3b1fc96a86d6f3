/**
 * Storefront carts for the live tab, from the warehouse (migrations 020, 021): the carts open now
 * and the conversion over the last simulated hour. "Now" is the newest landed cart event (event time,
 * so a live run at any speed and a finished backfill read alike). Null when no cart has landed.
 */
import { isMissingWarehouse, type Db } from '../warehouse-reader.ts';

export interface LiveCarts {
  /** The newest landed cart event (epoch ms): the end of the simulated hour. */
  asOf: number;
  /** Carts neither checked out nor expired (dim_cart_status 'open'). */
  open: number;
  /** Carts created in the simulated hour up to asOf. */
  created: number;
  /** Carts checked out in that hour. */
  checkouts: number;
  /** checkouts / created, null when no cart was created in the hour. */
  conversion: number | null;
  /** Carts that expired unchecked-out (all time, for the scale of `open`). */
  abandoned: number;
}

export const LIVE_CART_WINDOW_MS = 3_600_000;

export async function readLiveCarts(db: Db): Promise<LiveCarts | null> {
  try {
    const [row] = await db.rows<{
      as_of: string | null;
      open: string;
      abandoned: string;
      created: string;
      checkouts: string;
    }>(
      `with newest as (select max(event_time) as t from cart_events)
       select extract(epoch from n.t) * 1000 as as_of,
              count(*) filter (where c.status = 'open') as open,
              count(*) filter (where c.status = 'abandoned') as abandoned,
              count(*) filter (where c.created_at > n.t - interval '1 hour') as created,
              count(*) filter (where c.checked_out_at > n.t - interval '1 hour') as checkouts
         from newest n left join dim_cart_status c on true
        group by n.t`,
    );
    if (!row || row.as_of === null) return null;
    const created = Number(row.created);
    const checkouts = Number(row.checkouts);
    return {
      asOf: Number(row.as_of),
      open: Number(row.open),
      created,
      checkouts,
      conversion: created === 0 ? null : Math.round((checkouts / created) * 10000) / 10000,
      abandoned: Number(row.abandoned),
    };
  } catch (error) {
    if (isMissingWarehouse(error)) return null;
    throw error;
  }
}
