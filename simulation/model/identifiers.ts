/**
 * Order and shipment identifiers. order_id is a ULID: 48 bits of the order's event time and 80
 * bits from the seeded generator, in Crockford base32 (26 characters, sortable by time). Runs
 * with different seeds draw different bits, so ids do not repeat across runs; a rerun with the
 * same seed reproduces the same ids, which makes a repeated backfill idempotent downstream.
 */
import type { Random } from './random.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const MAX_TIME = 2 ** 48 - 1;

export function ulid(timeMs: number, rng: Random): string {
  if (!Number.isInteger(timeMs) || timeMs < 0 || timeMs > MAX_TIME) {
    throw new RangeError(`ULID time must be an integer in [0, 2^48), got ${timeMs}`);
  }
  let time = '';
  let t = timeMs;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[rng.int(0, 31)];
  return time + random;
}

/** The millisecond timestamp encoded in a ULID. */
export function ulidTime(id: string): number {
  let t = 0;
  for (let i = 0; i < 10; i++) t = t * 32 + CROCKFORD.indexOf(id[i]!);
  return t;
}

/** A courier tracking number such as "PH-4821-0937-5521-0042" (16 random digits). */
export function shippingId(rng: Random): string {
  const group = (): string => String(rng.int(0, 9999)).padStart(4, '0');
  return `PH-${group()}-${group()}-${group()}-${group()}`;
}
