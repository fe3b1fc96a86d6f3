import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export type { RandomGenerator };

/**
 * Seeded randomness for the support desk: every draw about a ticket comes from a generator seeded by
 * (global seed, purpose, key), so reprocessing an order (a redelivery, a restart) yields the same
 * tickets and the same report bytes.
 */
export function supportRng(seed: number, purpose: string, key: string): RandomGenerator {
  const state = hash128(`${seed}\u0000support\u0000${purpose}\u0000${key}`);
  if (!state.some((w) => w !== 0)) state[0] = 1;
  return xoroshiro128plusFromState(state);
}

export const chance = (rng: RandomGenerator): number => uniformFloat64(rng);
export const between = (rng: RandomGenerator, from: number, to: number): number => uniformInt(rng, from, to);
export function pick<T>(rng: RandomGenerator, items: readonly T[]): T {
  return items[between(rng, 0, items.length - 1)]!;
}

/** A short stable hex digest of a string (ticket ids): cyrb128 (public domain, by bryc), not cryptographic. */
export function digest(text: string, hexChars = 10): string {
  return hash128(text)
    .map((w) => (w >>> 0).toString(16).padStart(8, '0'))
    .join('')
    .slice(0, hexChars)
    .toUpperCase();
}

function hash128(text: string): number[] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 | 0, h2 | 0, h3 | 0, h4 | 0];
}
