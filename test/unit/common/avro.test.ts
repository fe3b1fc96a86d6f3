import { describe, expect, it } from 'vitest';
import { formatUnscaled, parseAvro, parseUnscaled } from '../../../common/avro.ts';
import { fromCents, subtotalCents, toCents } from '../../../common/money.ts';

const money = parseAvro({ type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 });
const wide = parseAvro({ type: 'bytes', logicalType: 'decimal', precision: 38, scale: 2 });

/** The Avro body of a bytes value is a length (zig-zag varint) then the bytes: strip the length. */
function body(type: ReturnType<typeof parseAvro>, value: string): number[] {
  const buf = type.toBuffer(value);
  return [...buf.subarray(1)];
}

describe('decimal logical type', () => {
  it("writes the minimal two's-complement big-endian unscaled value, as Java's BigDecimal does", () => {
    expect(body(money, '0.00')).toEqual([0x00]);
    expect(body(money, '1.27')).toEqual([0x7f]);
    expect(body(money, '1.28')).toEqual([0x00, 0x80]);
    expect(body(money, '-0.01')).toEqual([0xff]);
    expect(body(money, '-1.29')).toEqual([0xff, 0x7f]);
    expect(body(money, '1234.50')).toEqual([0x01, 0xe2, 0x3a]);
    expect(body(money, '-128.00')).toEqual([0xce, 0x00]);
  });

  it('reads back exactly what it wrote, small and beyond the 6-byte fast path', () => {
    for (const v of ['0.00', '0.05', '-0.05', '12.30', '9999999999.99', '-9999999999.99', '1.00']) {
      expect(money.fromBuffer(money.toBuffer(v))).toBe(v);
    }
    for (const v of ['1407374883553.27', '-1407374883553.28', '123456789012345678901234.56']) {
      expect(wide.fromBuffer(wide.toBuffer(v))).toBe(v);
    }
  });

  it('agrees with the BigInt reference on many random values (seeded)', () => {
    let x = 12345;
    const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 20_000; i++) {
      const digits = 1 + (next() % 13);
      let unscaled = (BigInt(next()) * BigInt(next())) % 10n ** BigInt(digits);
      if (next() % 2) unscaled = -unscaled;
      const text = formatUnscaled(unscaled, 2);
      const decoded = wide.fromBuffer(wide.toBuffer(text)) as string;
      expect(decoded).toBe(text);
      expect(parseUnscaled(decoded, 2)).toBe(unscaled);
    }
  });

  it('accepts fewer fraction digits and rejects more, or too many digits for the precision', () => {
    expect(money.fromBuffer(money.toBuffer('12.5'))).toBe('12.50');
    expect(() => money.toBuffer('1.005')).toThrow(/fraction digits/);
    expect(() => money.toBuffer('12345678901.00')).toThrow(/precision 12/);
    expect(() => money.toBuffer('abc')).toThrow(/not a decimal/);
  });
});

describe('money', () => {
  it('converts between decimal strings and centavos exactly', () => {
    expect(toCents('1234.50')).toBe(123450);
    expect(fromCents(123450)).toBe('1234.50');
    expect(fromCents(-5)).toBe('-0.05');
  });

  it('rounds a discounted subtotal half away from zero, in integers', () => {
    // 125.50 x 2 x (1 - 10%) = 225.90
    expect(subtotalCents(12550, 2, 1000)).toBe(22590);
    // 0.05 x 1 x (1 - 50%) = 0.025 -> 0.03
    expect(subtotalCents(5, 1, 5000)).toBe(3);
    // 0.05 x 1 x (1 - 70%) = 0.015 -> 0.02
    expect(subtotalCents(5, 1, 7000)).toBe(2);
    expect(subtotalCents(99999, 9, 0)).toBe(899991);
  });
});
