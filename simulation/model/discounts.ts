/**
 * Sale events. On ordinary days a baseline event (re-drawn each month) discounts a few SKUs; the
 * payday sale (the 14th-15th) and the month-end sale (the last days of the month) replace it
 * with bigger events for exactly their days: when the sale's last day ends, so does the sale.
 * Each event's SKUs and percentages are drawn from a stream keyed by the event itself, so they do
 * not depend on how many orders came before. A discount never takes a price below its unit cost
 * unless the config allows it: the event's draw is capped against the catalogue's price and cost,
 * and each order line again against the price and cost in force at the order time
 * (`capAtCostInForce`), since a promotion or a cost increase in the price schedule moves the margin
 * within the month the event was drawn for.
 */
import type { GeneratorConfig } from '../config.ts';
import { CATALOGUE, type CatalogueEntry } from '../../reference/catalogue.ts';
import type { DayKind, LocalDay } from '../../reference/calendar.ts';
import { Random } from './random.ts';

export interface SaleEvent {
  /** e.g. "payday:2025-03", "monthEnd:2025-03", "baseline:2025-03". */
  key: string;
  kind: DayKind;
  /** Discount per SKU in hundredths of a percent (1250 = 12.50%); SKUs not listed are at list price. */
  discounts: ReadonlyMap<number, number>;
}

/** Largest discount, in hundredths of a percent, that keeps the price at or above cost. */
export function maxDiscountAtCost(product: Pick<CatalogueEntry, 'priceCents' | 'costCents'>): number {
  return Math.floor(((product.priceCents - product.costCents) * 10000) / product.priceCents);
}

/**
 * The discounts of an order's lines, each capped so that the line sells at or above the cost in
 * force: `products` are the lines' products as priced at the order time (PriceBook.entryAt).
 * SKUs not among the lines are left out. With `allowBelowCost` the discounts pass unchanged.
 */
export function capAtCostInForce(
  discounts: ReadonlyMap<number, number>,
  products: readonly Pick<CatalogueEntry, 'sku' | 'priceCents' | 'costCents'>[],
  allowBelowCost: boolean,
): ReadonlyMap<number, number> {
  if (allowBelowCost) return discounts;
  const capped = new Map<number, number>();
  for (const p of products) {
    const wanted = discounts.get(p.sku);
    if (wanted !== undefined) capped.set(p.sku, Math.max(0, Math.min(wanted, maxDiscountAtCost(p))));
  }
  return capped;
}

export class DiscountCalendar {
  private current: SaleEvent | null = null;

  constructor(
    private readonly config: GeneratorConfig,
    private readonly seed: number,
  ) {}

  /** The sale event running on this local day. */
  eventOn(day: LocalDay): SaleEvent {
    const key = `${day.kind}:${day.year}-${String(day.month).padStart(2, '0')}`;
    if (this.current?.key === key) return this.current;
    this.current = this.draw(key, day.kind);
    return this.current;
  }

  private draw(key: string, kind: DayKind): SaleEvent {
    const d = this.config.discounts;
    const rng = new Random(this.seed, `discounts/${key}`);
    const variant =
      kind === 'payday' ? rng.pick(d.payday) : kind === 'monthEnd' ? rng.pick(d.monthEnd) : d.baseline;
    const discounts = new Map<number, number>();
    for (const product of rng.sample(CATALOGUE, variant.skus)) {
      let hundredths = rng.int(1, variant.maxPercent) * 100;
      if (!d.allowBelowCost) hundredths = Math.min(hundredths, maxDiscountAtCost(product));
      discounts.set(product.sku, hundredths);
    }
    return { key, kind, discounts };
  }
}
