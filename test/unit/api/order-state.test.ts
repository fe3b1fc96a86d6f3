import { describe, expect, it } from 'vitest';
import { isFinal, movesOn, parseWait, statusBody, type OrderState } from '../../../api/order-state.ts';
import type { Order } from '../../../schemas/types.generated.ts';

describe('order state', () => {
  it('only moves forward, whatever order the topics deliver in', () => {
    const arrivals: OrderState[] = ['SHIPPED', 'UNPAID', 'PAID', 'SHIPPED', 'FINISHED', 'PAID'];
    let state: OrderState | undefined;
    const seen: OrderState[] = [];
    for (const next of arrivals) {
      if (movesOn(state, next)) state = next;
      seen.push(state!);
    }
    expect(seen).toEqual(['SHIPPED', 'SHIPPED', 'SHIPPED', 'SHIPPED', 'FINISHED', 'FINISHED']);
    expect(movesOn('FAILED', 'FINISHED')).toBe(false);
    expect(movesOn('PAID', 'FAILED')).toBe(true);
  });

  it('FINISHED and FAILED are final, the others are not', () => {
    expect((['UNPAID', 'PAID', 'SHIPPED', 'FINISHED', 'FAILED'] as const).map(isFinal)).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
  });

  it('reads ?wait= as whole seconds from 0 to 60', () => {
    expect(parseWait(undefined)).toEqual({ ok: true, seconds: 0 });
    expect(parseWait('30')).toEqual({ ok: true, seconds: 30 });
    expect(parseWait('60')).toEqual({ ok: true, seconds: 60 });
    for (const bad of ['61', '-1', '1.5', 'soon', '', '1e2'])
      expect(parseWait(bad), bad).toMatchObject({
        ok: false,
        message: expect.stringMatching(/from 0 to 60/),
      });
  });

  it('answers with ISO dates and the failure, if any', () => {
    const order = {
      order_id: 'API-X',
      order_date: Date.UTC(2026, 0, 1),
      customer_info: {},
      payment_info: { payment_status: false, payment_method: null, payment_date: null },
      shipping_info: {
        shipping_id: 'PH-1',
        express_shipping: false,
        order_status: 'TIMED_OUT',
        shipped_date: null,
        eta: null,
        finished_date: null,
      },
      item_info: [],
      item_variety: 0,
      order_total: '0.00',
      failure: { stage: 'payment', reason: 'payment window expired', failed_at: Date.UTC(2026, 0, 2) },
    } as unknown as Order;
    const body = statusBody('API-X', 'FAILED', order);
    expect(body).toMatchObject({
      state: 'FAILED',
      final: true,
      order_status: 'TIMED_OUT',
      failure: { stage: 'payment', reason: 'payment window expired', failed_at: '2026-01-02T00:00:00.000Z' },
    });
    expect(body.order!.order_date).toBe('2026-01-01T00:00:00.000Z');
  });
});
