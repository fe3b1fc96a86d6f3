import type { DayWindow, RangeWindow } from '../range.ts';
import { NO_DATA_MESSAGE, type Db } from '../warehouse-reader.ts';
import { everyDay, n0, num, product, rangeRows, ratio } from './sql.ts';
import { tilesOf } from './tile.ts';

/**
 * Tab "funnel": the storefront funnel of the carts created in the range (a cohort: a cart's
 * checkout, payment and delivery count for the day it was created), from the metric layer of
 * migration 021: visits -> carts -> checkouts -> paid -> delivered with each step's conversion and
 * abandonment, conversion per day, payment completion, products by add-to-cart interest, trending
 * products and the cart events dead-lettered by the landing step.
 */
export const NO_CARTS_MESSAGE = `${NO_DATA_MESSAGE} with storefront carts (\`npx orderflow generate --carts\` writes them; the funnel tab reads dim_cart and cart_events)`;

/** Whether any storefront cart has landed (the tab is "no data yet" until then). */
export async function hasCarts(db: Db): Promise<boolean> {
  const [row] = await db.rows<{ present: boolean }>('select exists (select 1 from dim_cart) as present');
  return row?.present === true;
}

/** A product as the cart metrics name it. */
interface ProductRow {
  sku: number;
  product_name: string | null;
  category: string | null;
}

/** The day counts of metric_cart_funnel that the tab sums. */
export const FUNNEL_COUNTS = [
  'visits',
  'carts',
  'checkouts',
  'paid',
  'delivered',
  'abandoned',
  'open_carts',
  'landed_orders',
] as const;

/** Summed counts as PostgreSQL returns them (numeric as text; null where no day had a row). */
type Sums = Record<(typeof FUNNEL_COUNTS)[number], string | null>;

const SUM_COLUMNS = FUNNEL_COUNTS.map((c) => `sum(${c}) as ${c}`).join(', ');

/** The funnel's counts and rates from summed counts, with the definitions of metric_cart_funnel. */
export function funnelFigures(s: Sums) {
  const visits = n0(s.visits);
  const carts = n0(s.carts);
  const checkouts = n0(s.checkouts);
  const paid = n0(s.paid);
  const delivered = n0(s.delivered);
  const abandoned = n0(s.abandoned);
  const open = n0(s.open_carts);
  const landed = n0(s.landed_orders);
  const paymentCompletion = ratio(paid, landed);
  return {
    visits,
    carts,
    checkouts,
    paid,
    delivered,
    abandoned,
    open,
    landed,
    visitToCart: ratio(carts, visits),
    cartToCheckout: ratio(checkouts, carts),
    checkoutToPaid: paymentCompletion,
    paidToDelivered: ratio(delivered, paid),
    /** Baymard's definition: abandoned of the carts that have ended (open carts left out). */
    cartAbandonment: ratio(abandoned, carts - open),
    paymentCompletion,
    visitToDelivered: ratio(delivered, visits, 6),
  };
}

async function sums(db: Db, window: DayWindow): Promise<Sums> {
  const [row] = await db.rows<Sums>(
    `select ${SUM_COLUMNS} from metric_cart_funnel where day between $1::date and $2::date`,
    [window.from, window.to],
  );
  return row!;
}

/** Valid cart events of the carts created in the window (for "events per order"). */
async function cartEvents(db: Db, window: DayWindow): Promise<number> {
  const [row] = await db.rows<{ events: string }>(
    `select coalesce(sum(events), 0) as events from dim_cart where created_day between $1::date and $2::date`,
    [window.from, window.to],
  );
  return n0(row?.events);
}

const TILE_KEYS = [
  'visits',
  'carts',
  'checkouts',
  'paid',
  'delivered',
  'cartAbandonment',
  'paymentCompletion',
  'visitToDelivered',
  'eventsPerOrder',
] as const;

function tileValues(f: ReturnType<typeof funnelFigures>, events: number) {
  return {
    visits: f.visits,
    carts: f.carts,
    checkouts: f.checkouts,
    paid: f.paid,
    delivered: f.delivered,
    cartAbandonment: f.cartAbandonment,
    paymentCompletion: f.paymentCompletion,
    visitToDelivered: f.visitToDelivered,
    eventsPerOrder: ratio(events, f.checkouts, 2),
  };
}

export async function funnelTab(db: Db, range: RangeWindow) {
  const inRange = rangeRows(db, range);
  const now = funnelFigures(await sums(db, range));
  const before = range.previous ? funnelFigures(await sums(db, range.previous)) : null;
  const events = await cartEvents(db, range);
  const eventsBefore = range.previous ? await cartEvents(db, range.previous) : 0;

  const days = await inRange<Sums & { day: string }>(everyDay('metric_cart_funnel', 'day', FUNNEL_COUNTS));
  const interest = await inRange<
    ProductRow & { adds: string; views: string; removals: string; adds_checked_out: string }
  >(
    `select sku, min(product_name) as product_name, min(category) as category, sum(adds) as adds,
            sum(views_before_add) as views, sum(removals) as removals, sum(adds_checked_out) as adds_checked_out
       from metric_cart_interest where day between $1::date and $2::date
      group by sku order by sum(adds) desc, sku limit 15`,
  );
  const trending = await db.rows<
    ProductRow & {
      adds_last_7_days: string;
      adds_previous_7_days: string;
      change: string | null;
      rank: string;
    }
  >(
    `select sku, product_name, category, adds_last_7_days, adds_previous_7_days, change, rank
       from metric_cart_trending order by rank, change desc nulls last, sku limit 10`,
  );
  const deadLetters = await inRange<{ reason: string; events: string }>(
    `select reason, sum(events) as events from metric_cart_dead_letters
      where day between $1::date and $2::date group by reason order by sum(events) desc, reason`,
  );

  const steps = [
    { step: 'Visits', count: now.visits, conversion: null, abandonment: null },
    {
      step: 'Carts',
      count: now.carts,
      conversion: now.visitToCart,
      abandonment: now.visitToCart === null ? null : ratio(now.visits - now.carts, now.visits),
    },
    {
      step: 'Checkouts',
      count: now.checkouts,
      conversion: now.cartToCheckout,
      abandonment: now.cartAbandonment,
    },
    {
      step: 'Paid',
      count: now.paid,
      conversion: now.checkoutToPaid,
      abandonment: now.checkoutToPaid === null ? null : ratio(now.landed - now.paid, now.landed),
    },
    {
      step: 'Delivered',
      count: now.delivered,
      conversion: now.paidToDelivered,
      abandonment: now.paidToDelivered === null ? null : ratio(now.paid - now.delivered, now.paid),
    },
  ];
  return {
    tiles: tilesOf(TILE_KEYS, tileValues(now, events), before ? tileValues(before, eventsBefore) : null),
    funnel: { ...now, events, steps },
    days: days.map((d) => {
      const f = funnelFigures(d);
      return {
        day: d.day,
        visits: f.visits,
        carts: f.carts,
        checkouts: f.checkouts,
        paid: f.paid,
        delivered: f.delivered,
        landed: f.landed,
        visitToCart: f.visitToCart,
        cartToCheckout: f.cartToCheckout,
        paymentCompletion: f.paymentCompletion,
        paidToDelivered: f.paidToDelivered,
      };
    }),
    interest: interest.map((p) => ({
      ...product(p),
      adds: n0(p.adds),
      views: n0(p.views),
      addPerView: ratio(n0(p.adds), n0(p.views)),
      removals: n0(p.removals),
      checkedOut: ratio(n0(p.adds_checked_out), n0(p.adds)),
    })),
    trending: trending.map((p) => ({
      ...product(p),
      addsLast7Days: n0(p.adds_last_7_days),
      addsPrevious7Days: n0(p.adds_previous_7_days),
      change: num(p.change),
      rank: n0(p.rank),
    })),
    deadLetters: deadLetters.map((r) => ({ reason: r.reason, events: n0(r.events) })),
    deadLettersTotal: deadLetters.reduce((a, r) => a + n0(r.events), 0),
  };
}
