import { describe, expect, it } from 'vitest';
import {
  PAYMENT_DEFAULT,
  PAYMENT_HISTORICAL,
  paymentConfigSchema,
} from '../../../processors/payment/config.ts';
import { payOrder } from '../../../processors/payment/transform.ts';
import { stageRng } from '../../../processors/rng.ts';
import { OrderflowError } from '../../../common/errors.ts';
import { checkOrder, describeViolations } from '../../../schemas/invariants.ts';
import { dateProblems } from './chain.ts';
import { noPayment } from '../schemas/lifecycle-orders.ts';
import { expectConfigs } from './config-check.ts';
import { DAY, HOUR, unpaidOrder } from './orders.ts';

const SEED = 20251;
const N = 20_000;

function run(i: number, seed = SEED, config = PAYMENT_DEFAULT) {
  const order = unpaidOrder(i);
  return { order, outcome: payOrder(order, stageRng(seed, 'payment', order.order_id), config) };
}

describe('payment transform', () => {
  it('has valid default and historical configs', () => {
    expectConfigs(paymentConfigSchema, [PAYMENT_DEFAULT, PAYMENT_HISTORICAL], {
      ...PAYMENT_DEFAULT,
      methods: { CREDIT_CARD: 0.5, BANK_TRANSFER: 0.6, DIGITAL_WALLET: 0 },
    });
  });

  it('is deterministic per (seed, stage, order_id) and differs across seeds', () => {
    let differences = 0;
    for (let i = 0; i < 200; i++) {
      const a = run(i).outcome;
      expect(run(i).outcome).toEqual(a);
      if (JSON.stringify(run(i, SEED + 1).outcome) !== JSON.stringify(a)) differences++;
    }
    expect(differences).toBeGreaterThan(100);
  });

  it('pays 77% with the method split and pay-at-order share of docs/design.md section 5 (seed 20251, N=20000, tolerance 1.5 points)', () => {
    let paid = 0;
    let atOrder = 0;
    const methods = { CREDIT_CARD: 0, BANK_TRANSFER: 0, DIGITAL_WALLET: 0 };
    for (let i = 0; i < N; i++) {
      const { order, outcome } = run(i);
      if (outcome.kind !== 'next') continue;
      paid++;
      methods[outcome.order.payment_info.payment_method!]++;
      if (outcome.order.payment_info.payment_date === order.order_date) atOrder++;
    }
    expect(Math.abs(paid / N - 0.77)).toBeLessThan(0.015);
    expect(Math.abs(methods.CREDIT_CARD / paid - 0.24)).toBeLessThan(0.015);
    expect(Math.abs(methods.BANK_TRANSFER / paid - 0.57)).toBeLessThan(0.015);
    expect(Math.abs(methods.DIGITAL_WALLET / paid - 0.19)).toBeLessThan(0.015);
    expect(Math.abs(atOrder / paid - 0.63)).toBeLessThan(0.015);
  });

  it('derives payment_date and eta from the order dates (event time)', () => {
    for (let i = 0; i < 5000; i++) {
      const { order, outcome } = run(i);
      expect(dateProblems(outcome.order)).toEqual([]);
      if (outcome.kind !== 'next') continue;
      const paidAt = outcome.order.payment_info.payment_date!;
      expect(outcome.order.payment_info.payment_status).toBe(true);
      expect(outcome.order.shipping_info.order_status).toBe('PROCESSING');
      expect(outcome.order.failure).toBeNull();
      expect(paidAt - order.order_date).toBeGreaterThanOrEqual(0);
      expect(paidAt - order.order_date).toBeLessThanOrEqual(2 * DAY + 23 * HOUR + 59 * 60_000 + 59_000);
      const lead = outcome.order.shipping_info.eta! - paidAt;
      expect(lead % HOUR).toBe(0);
      const [min, max] = order.shipping_info.express_shipping
        ? [3 * DAY, 5 * DAY + 23 * HOUR]
        : [5 * DAY, 10 * DAY + 23 * HOUR];
      expect(lead).toBeGreaterThanOrEqual(min);
      expect(lead).toBeLessThanOrEqual(max);
    }
  });

  it('times out an unpaid order 7 days after order_date, with a failure record', () => {
    let seen = 0;
    for (let i = 0; i < 500; i++) {
      const { order, outcome } = run(i);
      if (outcome.kind !== 'failed') continue;
      seen++;
      const o = outcome.order;
      expect(o.shipping_info.order_status).toBe('TIMED_OUT');
      expect(o.payment_info).toEqual(noPayment());
      expect(o.shipping_info.finished_date).toBe(order.order_date + 7 * DAY);
      expect(o.failure).toEqual({
        stage: 'payment',
        reason: 'no payment within 7 days',
        failed_at: order.order_date + 7 * DAY,
      });
    }
    expect(seen).toBeGreaterThan(50);
  });

  it('keeps the basket, customer and totals unchanged', () => {
    const { order, outcome } = run(3);
    expect(outcome.order.item_info).toEqual(order.item_info);
    expect(outcome.order.customer_info).toEqual(order.customer_info);
    expect(outcome.order.order_total).toBe(order.order_total);
    expect(outcome.order.order_id).toBe(order.order_id);
  });

  it('rejects an order that is already paid', () => {
    const { outcome } = run(0, SEED, { ...PAYMENT_DEFAULT, successRate: 1 });
    expect(() => payOrder(outcome.order, stageRng(SEED, 'payment', 'x'), PAYMENT_DEFAULT)).toThrow(
      OrderflowError,
    );
  });

  it('honours the edges of the rates', () => {
    for (let i = 0; i < 100; i++) {
      expect(run(i, SEED, { ...PAYMENT_DEFAULT, successRate: 1 }).outcome.kind).toBe('next');
      expect(run(i, SEED, { ...PAYMENT_DEFAULT, successRate: 0 }).outcome.kind).toBe('failed');
      const always = run(i, SEED, { ...PAYMENT_DEFAULT, successRate: 1, payAtOrderRate: 1 });
      expect(always.outcome.order.payment_info.payment_date).toBe(always.order.order_date);
    }
  });

  it('pays a store order at the till as it is placed and finishes it there, with the tender shares of the config (seed 20251, N=20000, tolerance 1.5 points)', () => {
    const tenders = { CASH: 0, DEBIT_CARD: 0, CREDIT_CARD: 0, DIGITAL_WALLET: 0 };
    for (let i = 0; i < N; i++) {
      const order = unpaidOrder(i, 'S', 'store');
      const outcome = payOrder(order, stageRng(SEED, 'payment', order.order_id), PAYMENT_DEFAULT);
      expect(outcome.kind).toBe('finished');
      const { payment_info: pay, shipping_info: ship } = outcome.order;
      expect(pay).toMatchObject({
        payment_status: true,
        payment_method: null,
        payment_date: order.order_date,
      });
      expect(ship).toMatchObject({
        order_status: 'DELIVERED',
        express_shipping: false,
        shipped_date: null,
        eta: null,
        finished_date: order.order_date,
      });
      expect(outcome.order.failure).toBeNull();
      expect(describeViolations(checkOrder(outcome.order, 'finished'))).toBe('');
      tenders[pay.tender!]++;
    }
    expect(Math.abs(tenders.CASH / N - 0.46)).toBeLessThan(0.015);
    expect(Math.abs(tenders.DEBIT_CARD / N - 0.14)).toBeLessThan(0.015);
    expect(Math.abs(tenders.CREDIT_CARD / N - 0.12)).toBeLessThan(0.015);
    expect(Math.abs(tenders.DIGITAL_WALLET / N - 0.28)).toBeLessThan(0.015);
  });

  it('refuses a store order with shipping dates or express shipping (it goes to the dead-letter topic)', () => {
    const base = unpaidOrder(2, 'S', 'store');
    for (const shipping_info of [
      { ...base.shipping_info, shipped_date: base.order_date },
      { ...base.shipping_info, eta: base.order_date + DAY },
      { ...base.shipping_info, express_shipping: true },
    ]) {
      const order = { ...base, shipping_info };
      expect(() => payOrder(order, stageRng(SEED, 'payment', order.order_id), PAYMENT_DEFAULT)).toThrow(
        /store order with shipping dates or express shipping/,
      );
    }
  });

  it('refuses a store order that names no store', () => {
    const order = { ...unpaidOrder(1, 'S', 'store'), store_id: null };
    expect(() => payOrder(order, stageRng(SEED, 'payment', order.order_id), PAYMENT_DEFAULT)).toThrow(
      /store order without a store_id/,
    );
  });
});
