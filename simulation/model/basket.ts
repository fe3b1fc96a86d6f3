/**
 * What goes into an order: 1-7 distinct SKUs drawn by popularity, with co-purchase structure (a
 * further line is often a companion of a line already in the basket), and a quantity per line
 * that falls with price: max(1, cap x (1 - price / 1000)) plus Gaussian noise, clamped to
 * [1, cap], where the cap is higher during sales.
 */
import type { GeneratorConfig } from '../config.ts';
import { CATALOGUE, type CatalogueEntry } from '../../reference/catalogue.ts';
import type { DayKind } from '../../reference/calendar.ts';
import { cumulative } from '../../common/draws.ts';
import type { Random } from './random.ts';

export interface BasketLine {
  product: CatalogueEntry;
  quantity: number;
}

export class BasketModel {
  private readonly popularity = cumulative(CATALOGUE.map((p) => p.popularity));
  private readonly lineCounts: number[];

  constructor(
    private readonly config: GeneratorConfig,
    private readonly rng: Random,
  ) {
    this.lineCounts = cumulative(config.basket.lineCountWeights);
  }

  quantityCap(kind: DayKind): number {
    const caps = this.config.basket.quantityCap;
    return kind === 'payday' ? caps.payday : kind === 'monthEnd' ? caps.monthEnd : caps.ordinary;
  }

  /** Expected quantity of a product before noise. */
  expectedQuantity(priceCents: number, cap: number): number {
    return Math.max(1, cap * (1 - priceCents / 100 / this.config.basket.priceScale));
  }

  draw(kind: DayKind): BasketLine[] {
    const b = this.config.basket;
    const lines = this.rng.weightedIndex(this.lineCounts) + 1;
    const chosen: CatalogueEntry[] = [];
    const taken = new Set<number>();
    while (chosen.length < lines) {
      let next: CatalogueEntry | undefined;
      if (chosen.length > 0 && this.rng.chance(b.affinity)) next = this.companionOf(chosen, taken);
      while (!next || taken.has(next.sku)) next = CATALOGUE[this.rng.weightedIndex(this.popularity)]!;
      taken.add(next.sku);
      chosen.push(next);
    }
    const cap = this.quantityCap(kind);
    return chosen.map((product) => ({ product, quantity: this.quantity(product.priceCents, cap) }));
  }

  private companionOf(
    chosen: readonly CatalogueEntry[],
    taken: ReadonlySet<number>,
  ): CatalogueEntry | undefined {
    const candidates: number[] = [];
    for (const p of chosen) for (const sku of p.companions) if (!taken.has(sku)) candidates.push(sku);
    if (candidates.length === 0) return undefined;
    return CATALOGUE[this.rng.pick(candidates) - 1];
  }

  quantity(priceCents: number, cap: number): number {
    const q = Math.round(
      this.expectedQuantity(priceCents, cap) + this.rng.normal() * this.config.basket.quantityNoise,
    );
    return Math.min(cap, Math.max(1, q));
  }
}
