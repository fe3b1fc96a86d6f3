import { describe, expect, it } from 'vitest';
import { subtotalCents, toBasisHundredths, toCents } from '../../../common/money.ts';
import { storeById } from '../../../reference/stores.ts';
import { includedVatCents } from '../../../reference/vat.ts';
import { sampleData } from '../../../warehouse/sample-data.ts';

const options = {
  seed: 11,
  orders: 400,
  start: Date.UTC(2025, 0, 1),
  days: 60,
  customers: 100,
  moveRate: 0.3,
};

describe('sample landing data', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    expect(sampleData(options)).toEqual(sampleData(options));
    expect(sampleData({ ...options, seed: 12 }).orders[0]).not.toEqual(sampleData(options).orders[0]);
  });

  it('obeys the lifecycle invariants the warehouse checks', () => {
    const data = sampleData(options);
    const cost = new Map(data.products.map((p) => [p.sku, toCents(p.cost)]));
    const discounted = data.items.filter((i) => toCents(i.discount_percent!) > 0);
    expect(discounted.length).toBeGreaterThan(data.items.length / 10);
    const lines = new Map<string, typeof data.items>();
    for (const i of data.items) lines.set(i.order_id!, [...(lines.get(i.order_id!) ?? []), i]);
    for (const o of data.orders) {
      const ls = lines.get(o.order_id!)!;
      for (const i of ls) {
        expect(toCents(i.subtotal!)).toBe(
          subtotalCents(toCents(i.unit_price!), i.quantity!, toBasisHundredths(i.discount_percent!)),
        );
        expect(i.order_status).toBe(o.order_status);
        // No sale below cost (warehouse check's "no line sold below cost in force").
        expect(toCents(i.subtotal!)).toBeGreaterThanOrEqual(i.quantity! * cost.get(i.sku!)!);
      }
      expect(toCents(o.order_total!)).toBe(ls.reduce((s, i) => s + toCents(i.subtotal!), 0));
      expect(o.item_variety).toBe(ls.length);
      const dates = [o.order_date, o.payment_date, o.shipped_date, o.finished_date].filter((d) => d !== null);
      expect([...dates].sort((a, b) => a! - b!)).toEqual(dates);
      if (o.payment_date !== null) expect(o.eta!).toBeGreaterThan(o.payment_date);
      expect(o.failure_stage !== null).toBe(o.order_status !== 'DELIVERED');
    }
  });

  it('delivers customers in finish-time order, with some customers moving', () => {
    const data = sampleData(options);
    const finished = new Map(data.orders.map((o) => [o.order_id, o.finished_date!]));
    const order = data.customers.map((c) => finished.get(c.last_order_id)!);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Finish order is not order-time order: at least one customer row arrives after a newer one.
    expect(data.customers.some((c, i) => i > 0 && c.as_of! < data.customers[i - 1]!.as_of!)).toBe(true);
    const addresses = new Map<string, Set<string>>();
    for (const c of data.customers) {
      addresses.set(c.customer_id!, (addresses.get(c.customer_id!) ?? new Set()).add(c.street_address!));
    }
    expect([...addresses.values()].filter((s) => s.size > 1).length).toBeGreaterThan(5);
  });

  it('with storeShare, has till sales at open stores; VAT on every line', () => {
    const withStores = sampleData({ ...options, storeShare: 0.3 });
    const store = withStores.orders.filter((o) => o.channel === 'store');
    expect(store.length).toBeGreaterThan(40);
    expect(withStores.orders.filter((o) => o.channel === 'online').length).toBeGreaterThan(200);
    for (const o of store) {
      const at = storeById(o.store_id!)!;
      const hour = new Date(o.order_date! + 8 * 3_600_000).getUTCHours();
      expect(hour >= at.opens_hour && hour < at.closes_hour).toBe(true);
      expect(o).toMatchObject({
        order_status: 'DELIVERED',
        payment_method: null,
        shipped_date: null,
        eta: null,
      });
      expect(o.finished_date).toBe(o.order_date);
      expect(['CASH', 'DEBIT_CARD', 'CREDIT_CARD', 'DIGITAL_WALLET']).toContain(o.tender);
    }
    for (const o of withStores.orders) {
      const ls = withStores.items.filter((i) => i.order_id === o.order_id);
      for (const i of ls) {
        const vat = includedVatCents(toCents(i.subtotal!), toBasisHundredths(i.vat_rate!));
        expect(toCents(i.vat_amount!)).toBe(vat);
      }
      expect(toCents(o.vat_total!)).toBe(ls.reduce((sum, i) => sum + toCents(i.vat_amount!), 0));
    }
    // The online orders are those of the sample without stores, drawn the same.
    const plain = new Map(sampleData(options).orders.map((o) => [o.order_id, o]));
    for (const o of withStores.orders.filter((x) => x.channel === 'online'))
      expect(o).toEqual(plain.get(o.order_id));
  });
});
