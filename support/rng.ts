import { between, cyrb128, seededRng, type RandomGenerator } from '../common/seeded-rng.ts';

export { between, chance, type RandomGenerator } from '../common/seeded-rng.ts';

/**
 * Seeded randomness for the support desk: every draw about a ticket comes from a generator seeded by
 * (global seed, purpose, key), so reprocessing an order (a redelivery, a restart) yields the same
 * tickets and the same report bytes.
 */
export function supportRng(seed: number, purpose: string, key: string): RandomGenerator {
  return seededRng(`${seed}\u0000support\u0000${purpose}\u0000${key}`);
}

export function pick<T>(rng: RandomGenerator, items: readonly T[]): T {
  return items[between(rng, 0, items.length - 1)]!;
}

/** A short stable hex digest of a string (ticket ids): cyrb128 (public domain, by bryc), not cryptographic. */
export function digest(text: string, hexChars = 10): string {
  return cyrb128(text)
    .map((w) => (w >>> 0).toString(16).padStart(8, '0'))
    .join('')
    .slice(0, hexChars)
    .toUpperCase();
}
