import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseAvro } from '../../../common/avro.ts';
import { readSchema } from '../../../common/serde.ts';
import { makeConfig } from '../../../simulation/config.ts';
import { toJsonLine } from '../../../producer/json-lines.ts';
import { generateOrders, monthsBefore, resolveWindow } from '../../../simulation/model/generator.ts';
import { ulidTime } from '../../../simulation/model/identifiers.ts';
import { checkOrder, describeViolations } from '../../../schemas/invariants.ts';
import { productBySku } from '../../../reference/catalogue.ts';
import { PriceBook } from '../../../reference/price-schedule.ts';
import { toCents } from '../../../common/money.ts';
import { maxDiscountAtCost } from '../../../simulation/model/discounts.ts';
import { noPayment } from '../schemas/lifecycle-orders.ts';

const NOW = Date.UTC(2026, 10, 21, 12);
const clock = { now: () => NOW };

function digest(seed: number, count: number): string {
  const h = createHash('sha256');
  for (const o of generateOrders(
    makeConfig({ seed, count, from: Date.UTC(2025, 0, 1), until: Infinity }),
    clock,
  ))
    h.update(toJsonLine(o));
  return h.digest('hex');
}

describe('generated orders enter the chain unpaid', () => {
  const orders = [
    ...generateOrders(makeConfig({ seed: 11, count: 2000, from: Date.UTC(2025, 0, 1) }), clock),
  ];

  it('PROCESSING, unpaid, no dates but order_date, no failure', () => {
    for (const o of orders) {
      expect(o.shipping_info.order_status).toBe('PROCESSING');
      expect(o.payment_info).toEqual(noPayment());
      expect(o.shipping_info.eta).toBeNull();
      expect(o.shipping_info.shipped_date).toBeNull();
      expect(o.shipping_info.finished_date).toBeNull();
      expect(o.failure).toBeNull();
      expect(o.shipping_info.shipping_id).toMatch(/^PH-/);
    }
  });

  it('encode with the order schema (decimals as 2-decimal strings)', () => {
    const type = parseAvro(readSchema('order.avsc'));
    for (const o of orders.slice(0, 200)) expect(type.fromBuffer(type.toBuffer(o))).toEqual(o);
  });

  it('order ids are unique ULIDs of the order time, and times increase', () => {
    expect(new Set(orders.map((o) => o.order_id)).size).toBe(orders.length);
    for (let i = 0; i < orders.length; i++) {
      expect(ulidTime(orders[i]!.order_id)).toBe(orders[i]!.order_date);
      if (i > 0)
        expect(orders[i]!.order_date - orders[i - 1]!.order_date).toBeGreaterThanOrEqual(10 * 60_000);
    }
  });

  it('express shipping on ~40% (+- 3 over 2000 orders, seed 11)', () => {
    const share = orders.filter((o) => o.shipping_info.express_shipping).length / orders.length;
    expect(Math.abs(share - 0.4)).toBeLessThan(0.03);
  });

  it('some lines are discounted, none below cost', () => {
    const discounted = orders.flatMap((o) => o.item_info).filter((l) => l.discount_percent !== '0.00');
    expect(discounted.length).toBeGreaterThan(100);
  });
});

describe('every invariant holds over 100k generated orders (seed 7)', () => {
  it('checkOrder(order, "unpaid") finds nothing', () => {
    let n = 0;
    let bad = '';
    for (const o of generateOrders(
      makeConfig({ seed: 7, count: 100_000, from: Date.UTC(2024, 10, 21), until: Infinity }),
      clock,
    )) {
      n++;
      const v = checkOrder(o, 'unpaid');
      if (v.length > 0 && bad === '') bad = `${o.order_id}: ${describeViolations(v)}`;
    }
    expect(bad).toBe('');
    expect(n).toBe(100_000);
  });
});

describe('no line sells below the cost in force (two-year run, 2024-01-01..2026-01-01, seed 1)', () => {
  // The price schedule's promotions lower the price and its cost increases raise the cost inside
  // the month a sale event was drawn for, so each line is capped at the order time's cost.
  const config = makeConfig({ seed: 1, from: Date.UTC(2024, 0, 1), until: Date.UTC(2026, 0, 1) });
  const book = new PriceBook(1);
  let lines = 0;
  let below = 0;
  let notInForce = 0;
  let cappedByInForce = 0;
  for (const o of generateOrders(config, clock))
    for (const i of o.item_info) {
      lines++;
      const catalogue = productBySku(i.sku);
      const inForce = book.entryAt(catalogue, o.order_date);
      if (toCents(i.unit_price) !== inForce.priceCents) notInForce++;
      if (toCents(i.subtotal) < i.quantity * inForce.costCents) below++;
      const discount = toCents(i.discount_percent);
      if (discount > 0 && discount === maxDiscountAtCost(inForce) && discount < maxDiscountAtCost(catalogue))
        cappedByInForce++;
    }

  it('every line: unit_price is the price in force, subtotal >= quantity x cost in force', () => {
    expect(lines).toBeGreaterThan(20_000);
    expect(notInForce).toBe(0);
    expect(below).toBe(0);
  });

  it('the in-force cap did bite (lines a catalogue-cost cap would have sold below cost)', () => {
    expect(cappedByInForce).toBeGreaterThan(50);
  });
});

describe('determinism', () => {
  it('same seed and options give byte-identical output', () => {
    expect(digest(21, 3000)).toBe(digest(21, 3000));
  });

  it('different seeds give different output', () => {
    expect(digest(21, 3000)).not.toBe(digest(22, 3000));
  });

  it('a longer run starts with the shorter run (a prefix, byte for byte)', () => {
    const config = (count: number) =>
      makeConfig({ seed: 5, count, from: Date.UTC(2025, 0, 1), until: Infinity });
    const short = [...generateOrders(config(300), clock)].map(toJsonLine).join('');
    const long = [...generateOrders(config(600), clock)].map(toJsonLine).join('');
    expect(long.startsWith(short)).toBe(true);
    expect(long.length).toBeGreaterThan(short.length);
  });
});

describe('the window', () => {
  it('defaults to the 24 months before the injected clock', () => {
    const { from, until } = resolveWindow(makeConfig({}), clock);
    expect(until).toBe(NOW);
    expect(from).toBe(Date.UTC(2024, 10, 21, 12));
    expect(monthsBefore(Date.UTC(2026, 2, 31), 1)).toBe(Date.UTC(2026, 1, 28));
  });

  it('first order at from, none at or after until, at most count', () => {
    const from = Date.UTC(2025, 5, 1);
    const until = Date.UTC(2025, 6, 1);
    const orders = [...generateOrders(makeConfig({ seed: 2, from, until }), clock)];
    expect(orders[0]!.order_date).toBe(from);
    expect(orders.at(-1)!.order_date).toBeLessThan(until);
    expect(orders.length).toBeGreaterThan(200);
    expect([...generateOrders(makeConfig({ seed: 2, from, until, count: 17 }), clock)]).toHaveLength(17);
    expect([...generateOrders(makeConfig({ seed: 2, from, until, count: 0 }), clock)]).toHaveLength(0);
  });
});

describe('JSON lines', () => {
  it('timestamps are ISO 8601 UTC and decimals strings', () => {
    const [o] = [
      ...generateOrders(makeConfig({ seed: 3, count: 1, from: Date.UTC(2025, 2, 14, 1, 2, 3, 4) }), clock),
    ];
    const parsed = JSON.parse(toJsonLine(o!)) as Record<string, unknown> & {
      item_info: { subtotal: unknown }[];
    };
    expect(parsed.order_date).toBe('2025-03-14T01:02:03.004Z');
    expect(typeof parsed.order_total).toBe('string');
    expect(typeof parsed.item_info[0]!.subtotal).toBe('string');
    expect((parsed.payment_info as { payment_date: unknown }).payment_date).toBeNull();
    const t = Date.UTC(2025, 2, 20);
    const filled = {
      ...o!,
      shipping_info: { ...o!.shipping_info, eta: t },
      failure: { stage: 'payment' as const, reason: 'x', failed_at: t },
    };
    const again = JSON.parse(toJsonLine(filled)) as {
      shipping_info: { eta: string };
      failure: { failed_at: string };
    };
    expect(again.shipping_info.eta).toBe('2025-03-20T00:00:00.000Z');
    expect(again.failure.failed_at).toBe('2025-03-20T00:00:00.000Z');
  });
});
