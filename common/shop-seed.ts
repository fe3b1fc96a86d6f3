/**
 * The shop database's first contents, from the reference data: every catalogue product with its
 * price and cost, the fulfilment locations, each product's opening stock and restocking rule, and the
 * price schedule (promotions, cost increases) drawn from the seed.
 * Pure and deterministic: the lead times are drawn from the seed, everything else follows from the
 * catalogue's popularity weights.
 */
import { CATALOGUE } from '../reference/catalogue.ts';
import { priceSchedule } from '../reference/price-schedule.ts';
import { fromCents } from './money.ts';

export interface ShopLocation {
  location_id: string;
  name: string;
  kind: 'warehouse' | 'store';
  provincial_code: string;
}

/**
 * Where orders are fulfilled from. One central warehouse in Metro Manila (PH-00) for now; the
 * tables take stores as further rows (kind 'store') once the shop has them.
 */
export const SHOP_LOCATIONS: readonly ShopLocation[] = Object.freeze([
  {
    location_id: 'central',
    name: 'Central Warehouse, Valenzuela',
    kind: 'warehouse',
    provincial_code: 'PH-00',
  },
]);

export interface ShopProductRow {
  sku: number;
  name: string;
  category: string;
  price: string;
  cost: string;
  reorder_point: number;
  reorder_quantity: number;
  lead_time_days: number;
}

export interface ShopStockRow {
  sku: number;
  location_id: string;
  on_hand: number;
}

/** A 32-bit FNV-1a hash of the seed and a label, as an integer in [0, n). */
export function seededIndex(seed: number, label: string, n: number): number {
  let h = 0x811c9dc5;
  for (const ch of `${seed}:${label}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % n;
}

/** Lead times from 3 to 10 days, one per product, drawn from the seed. */
export function shopProducts(seed: number): ShopProductRow[] {
  return CATALOGUE.map((p) => ({
    sku: p.sku,
    name: p.name,
    category: p.category,
    price: p.price,
    cost: p.cost,
    reorder_point: Math.round(p.popularity * 20),
    reorder_quantity: Math.round(p.popularity * 80),
    lead_time_days: 3 + seededIndex(seed, `lead-time:${p.sku}`, 8),
  }));
}

/** Opening stock: two reorder quantities of every product at every location. */
export function shopStock(seed: number): ShopStockRow[] {
  return shopProducts(seed).flatMap((p) =>
    SHOP_LOCATIONS.map((l) => ({ sku: p.sku, location_id: l.location_id, on_hand: 2 * p.reorder_quantity })),
  );
}

export interface ShopPriceChangeRow {
  sku: number;
  /** ISO 8601, UTC. */
  effective_at: string;
  price: string;
  cost: string;
  reason: string;
}

/** The price schedule of the seed (reference/price-schedule.ts), as shop.price_changes rows. */
export function shopPriceChanges(seed: number): ShopPriceChangeRow[] {
  return priceSchedule(seed).map((c) => ({
    sku: c.sku,
    effective_at: new Date(c.effectiveAt).toISOString(),
    price: fromCents(c.priceCents),
    cost: fromCents(c.costCents),
    reason: c.reason,
  }));
}
