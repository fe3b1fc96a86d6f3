import { describe, expect, it } from 'vitest';
import { checkOrder, describeViolations, parseScaled, type Violation } from '../../../schemas/invariants.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { unpaid } from './lifecycle-orders.ts';

const fields = (v: readonly Violation[]): string[] => v.map((x) => x.field);

/** Makes `o` a one-line order of that price, quantity and discount, its total the line's subtotal. */
function oneLine(o: Order, unit_price: string, quantity: number, discount_percent: string, subtotal: string) {
  o.item_info = [
    {
      sku: 1,
      product_name: 'x',
      category: 'y',
      unit_price,
      quantity,
      discount_percent,
      subtotal,
      vat_rate: null,
      vat_amount: null,
    },
  ];
  o.item_variety = 1;
  o.order_total = subtotal;
}

describe('subtotal arithmetic', () => {
  it('rounds half away from zero exactly at the half centavo', () => {
    const o = unpaid();
    // 0.05 x 1 x (1 - 0.50) = 0.025 -> 0.03
    oneLine(o, '0.05', 1, '50.00', '0.03');
    expect(checkOrder(o)).toEqual([]);
    o.item_info[0]!.subtotal = '0.02';
    o.order_total = '0.02';
    expect(fields(checkOrder(o))).toEqual(['item_info[0].subtotal']);
  });

  it('is exact for amounts too large for float products (falls back to BigInt)', () => {
    const o = unpaid();
    // 9,999,999,999.99 x 1000 x (1 - 0.01%) = 9,998,999,999,990.001 -> ...990.00 (beyond 2^53 in the scaled product)
    oneLine(o, '9999999999.99', 1000, '0.01', '9998999999990.00');
    expect(describeViolations(checkOrder(o))).toBe('');
  });

  it('parseScaled reads fixed-scale decimals and rejects anything else', () => {
    expect(parseScaled('1234.50')).toBe(123450);
    expect(parseScaled('7')).toBe(700);
    expect(parseScaled('0.5')).toBe(50);
    expect(parseScaled('-3.25')).toBe(-325);
    for (const bad of ['', '.5', '5.', '1.234', '1e3', '12a.00', '--1', '1.2.3'])
      expect(parseScaled(bad)).toBeNaN();
  });
});
