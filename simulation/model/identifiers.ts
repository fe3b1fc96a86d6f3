/**
 * Order and shipment identifiers. order_id is a ULID: 48 bits of the order's event time and 80
 * bits from the seeded generator, in Crockford base32 (26 characters, sortable by time). Runs
 * with different seeds draw different bits, so ids do not repeat across runs; a rerun with the
 * same seed reproduces the same ids, which makes a repeated backfill idempotent downstream.
 */
import { ulid as encodeUlid } from '../../common/ulid.ts';
import type { Random } from './random.ts';

export { ulidTime } from '../../common/ulid.ts';

/** An order id: a ULID of `timeMs` with its 80 random bits from the generator's stream. */
export function ulid(timeMs: number, rng: Random): string {
  return encodeUlid(timeMs, () => rng.int(0, 31));
}

/** A courier tracking number such as "PH-4821-0937-5521-0042" (16 random digits). */
export function shippingId(rng: Random): string {
  const group = (): string => String(rng.int(0, 9999)).padStart(4, '0');
  return `PH-${group()}-${group()}-${group()}-${group()}`;
}
