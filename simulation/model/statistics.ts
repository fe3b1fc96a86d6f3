/**
 * Summary statistics of a generated order stream, in the terms docs/design.md section 4 uses
 * (orders per day by kind of day, repeat-customer rate by true identity, location tier shares,
 * express share, basket size). Used by the statistical tests and the generator's --stats output.
 */
import type { Order } from '../../schemas/types.generated.ts';
import type { GeneratorConfig } from '../config.ts';
import { LOCATIONS, type LocationTier } from '../../reference/locations.ts';
import { localDay } from '../../reference/calendar.ts';

export interface StreamStatistics {
  orders: number;
  days: number;
  /** Mean orders per local day over the first 30 days and the last 30 days. */
  perDayFirst30: number;
  perDayLast30: number;
  /** Mean orders per ordinary, payday and month-end day; ratios to ordinary. */
  perOrdinaryDay: number;
  paydayRatio: number;
  monthEndRatio: number;
  /** Customers with 2+ orders / customers. */
  repeatCustomerRate: number;
  /** Orders placed by a customer's second or later order / orders. */
  returningOrderShare: number;
  tierShares: Record<LocationTier, number>;
  /** Of online orders (a store order is never shipped). */
  expressShare: number;
  /** Orders placed at a store's till. */
  storeShare: number;
  meanLines: number;
  /** Customers whose email or address changed between their orders. */
  customersWithHistory: number;
}

export function summarise(orders: readonly Order[], config: GeneratorConfig): StreamStatistics {
  const tierOf = new Map(LOCATIONS.map((l) => [l.lgu, l.tier] as const));
  const perDay = new Map<string, { n: number; kind: string; index: number }>();
  const customers = new Map<string, { n: number; versions: Set<string> }>();
  const tiers: Record<LocationTier, number> = { metro_manila: 0, large: 0, medium: 0, small: 0, poor: 0 };
  let express = 0;
  let store = 0;
  let lines = 0;
  let returning = 0;
  const start = orders[0]?.order_date ?? 0;
  for (const o of orders) {
    const day = localDay(o.order_date, config);
    const key = `${day.year}-${day.month}-${day.day}`;
    const entry = perDay.get(key) ?? { n: 0, kind: day.kind, index: perDay.size };
    entry.n++;
    perDay.set(key, entry);
    const c = o.customer_info;
    const seen = customers.get(c.customer_id);
    if (seen) {
      seen.n++;
      returning++;
      seen.versions.add(`${c.email}|${c.street_address}|${c.lgu}`);
    } else {
      customers.set(c.customer_id, { n: 1, versions: new Set([`${c.email}|${c.street_address}|${c.lgu}`]) });
    }
    tiers[tierOf.get(c.lgu)!]++;
    if (o.shipping_info.express_shipping) express++;
    if (o.channel === 'store') store++;
    lines += o.item_info.length;
  }
  void start;
  const days = [...perDay.values()];
  // Whole days only: drop the first and last (partial) days.
  const whole = days.slice(1, -1);
  const mean = (xs: { n: number }[]): number => (xs.length ? xs.reduce((s, d) => s + d.n, 0) / xs.length : 0);
  const ordinary = mean(whole.filter((d) => d.kind === 'ordinary'));
  let repeaters = 0;
  let withHistory = 0;
  for (const c of customers.values()) {
    if (c.n >= 2) repeaters++;
    if (c.versions.size > 1) withHistory++;
  }
  const n = orders.length || 1;
  return {
    orders: orders.length,
    days: perDay.size,
    perDayFirst30: mean(whole.slice(0, 30)),
    perDayLast30: mean(whole.slice(-30)),
    perOrdinaryDay: ordinary,
    paydayRatio: mean(whole.filter((d) => d.kind === 'payday')) / ordinary,
    monthEndRatio: mean(whole.filter((d) => d.kind === 'monthEnd')) / ordinary,
    repeatCustomerRate: repeaters / (customers.size || 1),
    returningOrderShare: returning / n,
    tierShares: Object.fromEntries(Object.entries(tiers).map(([k, v]) => [k, v / n])) as Record<
      LocationTier,
      number
    >,
    expressShare: express / (orders.length - store || 1),
    storeShare: store / n,
    meanLines: lines / n,
    customersWithHistory: withHistory,
  };
}
