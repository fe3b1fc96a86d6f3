/**
 * The shop's price changes: a deterministic schedule, drawn from the seed, of promotions (a lower
 * price for a few days, then back to list) and cost increases (the supplier's cost rises and the list
 * price follows by the same percentage) over the simulated span. The same schedule is written to the
 * shop database (shop.price_changes, streamed to the warehouse by CDC) and prices the generator's
 * order lines, so every order line's unit_price is the price in force at its order time.
 *
 * Rules (all days are Asia/Manila calendar days, changes take effect at local midnight):
 * - opening: every SKU starts at its catalogue price and cost at SCHEDULE_START;
 * - cost increase: on the first day of each quarter after the opening, with chance
 *   COST_INCREASE_CHANCE, cost and list price rise by 2-8% (rounded to the centavo);
 * - promotion: in each month, with chance PROMOTION_CHANCE, the price drops 10-30% (never below
 *   the cost in force) from a day between the 2nd and the 18th for 3-10 days, then returns to list.
 * Promotions start on day 2 or later and end by day 28, so no two changes of a SKU coincide and a
 * cost increase never falls inside a promotion. Before SCHEDULE_START the opening price holds; after
 * SCHEDULE_END the last change holds. Pure: no clock, no I/O.
 */
import { CATALOGUE, type CatalogueEntry } from './catalogue.ts';
import { SHOP_UTC_OFFSET_MINUTES } from './calendar.ts';
import { between, chance, seededRng } from '../common/seeded-rng.ts';
import { fromCents } from '../common/money.ts';

export type PriceChangeReason = 'opening' | 'cost-increase' | 'promotion' | 'promotion-end';

export interface PriceChange {
  sku: number;
  /** UTC ms at which this price and cost take effect. */
  effectiveAt: number;
  priceCents: number;
  costCents: number;
  reason: PriceChangeReason;
}

const OFFSET_MS = SHOP_UTC_OFFSET_MINUTES * 60_000;
const DAY_MS = 86_400_000;

/** UTC ms of local (Asia/Manila) midnight on the given local date (month 1-12). */
export function localMidnight(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) - OFFSET_MS;
}

/** The schedule covers 2024-01-01 to 2028-01-01 (local), wider than any default generator window. */
export const SCHEDULE_START = localMidnight(2024, 1, 1);
export const SCHEDULE_END = localMidnight(2028, 1, 1);
export const COST_INCREASE_CHANCE = 0.3;
export const PROMOTION_CHANCE = 0.15;

/** `cents` raised (or lowered, for a negative percent) by `percent`, rounded to the centavo. */
function scaled(cents: number, percent: number): number {
  return Math.round((cents * (100 + percent)) / 100);
}

/** Every price change of one product over the span, in time order, the opening first. */
export function productSchedule(
  seed: number,
  product: Pick<CatalogueEntry, 'sku' | 'priceCents' | 'costCents'>,
): PriceChange[] {
  const sku = product.sku;
  let price = product.priceCents;
  let cost = product.costCents;
  const out: PriceChange[] = [
    { sku, effectiveAt: SCHEDULE_START, priceCents: price, costCents: cost, reason: 'opening' },
  ];
  const first = new Date(SCHEDULE_START + OFFSET_MS);
  for (let m = 0; ; m++) {
    const year = first.getUTCFullYear() + Math.floor((first.getUTCMonth() + m) / 12);
    const month = ((first.getUTCMonth() + m) % 12) + 1;
    const monthStart = localMidnight(year, month, 1);
    if (monthStart >= SCHEDULE_END) break;
    const label = `${year}-${String(month).padStart(2, '0')}`;
    if (m > 0 && m % 3 === 0) {
      const rng = seededRng(`price-schedule:${seed}:cost:${sku}:${label}`);
      if (chance(rng) < COST_INCREASE_CHANCE) {
        const percent = between(rng, 2, 8);
        cost = scaled(cost, percent);
        price = scaled(price, percent);
        out.push({
          sku,
          effectiveAt: monthStart,
          priceCents: price,
          costCents: cost,
          reason: 'cost-increase',
        });
      }
    }
    const rng = seededRng(`price-schedule:${seed}:promotion:${sku}:${label}`);
    if (chance(rng) < PROMOTION_CHANCE) {
      const startDay = between(rng, 2, 18);
      const days = between(rng, 3, 10);
      const percent = between(rng, 10, 30);
      const start = localMidnight(year, month, startDay);
      const promoted = Math.max(cost, scaled(price, -percent));
      out.push({ sku, effectiveAt: start, priceCents: promoted, costCents: cost, reason: 'promotion' });
      out.push({
        sku,
        effectiveAt: start + days * DAY_MS,
        priceCents: price,
        costCents: cost,
        reason: 'promotion-end',
      });
    }
  }
  return out;
}

/** The whole schedule, every product, ordered by SKU then time. */
export function priceSchedule(seed: number, products: readonly CatalogueEntry[] = CATALOGUE): PriceChange[] {
  return products.flatMap((p) => productSchedule(seed, p));
}

/** The change in force at `t` in a time-ordered schedule of one product (the opening before it). */
export function changeInForce(schedule: readonly PriceChange[], t: number): PriceChange {
  let lo = 0;
  let hi = schedule.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (schedule[mid]!.effectiveAt <= t) lo = mid;
    else hi = mid - 1;
  }
  return schedule[lo]!;
}

/**
 * The price and cost in force for a SKU at a time, for one seed; each product's schedule is drawn
 * once, on first use.
 */
export class PriceBook {
  private readonly schedules = new Map<number, PriceChange[]>();

  constructor(readonly seed: number) {}

  scheduleOf(product: CatalogueEntry): PriceChange[] {
    let s = this.schedules.get(product.sku);
    if (!s) {
      s = productSchedule(this.seed, product);
      this.schedules.set(product.sku, s);
    }
    return s;
  }

  /** The catalogue entry as sold at `t`: its price and cost replaced by the ones in force then. */
  entryAt(product: CatalogueEntry, t: number): CatalogueEntry {
    const c = changeInForce(this.scheduleOf(product), t);
    if (c.priceCents === product.priceCents && c.costCents === product.costCents) return product;
    return {
      ...product,
      price: fromCents(c.priceCents),
      priceCents: c.priceCents,
      cost: fromCents(c.costCents),
      costCents: c.costCents,
    };
  }
}
