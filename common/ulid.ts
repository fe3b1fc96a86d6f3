/**
 * ULIDs (order ids, cart ids): 48 bits of a time in milliseconds, then 80 bits drawn from the
 * caller's seeded source, in Crockford base32 (26 characters, sortable by time). Pure: the caller's
 * source makes them reproducible.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const MAX_TIME = 2 ** 48 - 1;

/** A ULID of `timeMs` whose 16 random characters are `digit()` each (an integer in [0, 31]). */
export function ulid(timeMs: number, digit: () => number): string {
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
  for (let i = 0; i < 16; i++) random += CROCKFORD[digit()];
  return time + random;
}

/** The millisecond timestamp encoded in a ULID. */
export function ulidTime(id: string): number {
  let t = 0;
  for (let i = 0; i < 10; i++) t = t * 32 + CROCKFORD.indexOf(id[i]!);
  return t;
}
