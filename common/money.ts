import { formatUnscaled, parseUnscaled } from './avro.ts';

/**
 * Money is a decimal string with two fraction digits ("1234.50") at the edges and whole centavos
 * (integers) inside calculations. Never a float.
 */
export function toCents(amount: string): number {
  return Number(parseUnscaled(amount, 2));
}

export function fromCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`centavos must be a safe integer, got ${cents}`);
  return formatUnscaled(BigInt(cents), 2);
}

/** Percent with two fraction digits ("12.50") to hundredths of a percent (1250). */
export function toBasisHundredths(percent: string): number {
  return Number(parseUnscaled(percent, 2));
}

/**
 * subtotal = round(unit_price x quantity x (1 - discount_percent / 100), 2), half away from zero,
 * computed exactly in integers: cents x qty x (10000 - pct_hundredths) / 10000.
 */
export function subtotalCents(unitPriceCents: number, quantity: number, discountHundredths: number): number {
  const numerator = BigInt(unitPriceCents) * BigInt(quantity) * BigInt(10000 - discountHundredths);
  const q = numerator / 10000n;
  const r = numerator % 10000n;
  return Number(r * 2n >= 10000n ? q + 1n : q);
}
