/**
 * Deterministic randomness keyed by a string: the same key always starts the same xoroshiro128+
 * generator, so a service that re-processes a record (a crash, a rebalance, a replay) draws the same
 * values and writes the same bytes. Pure: no clock, no I/O.
 */
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export type { RandomGenerator };

/** A generator seeded from `key` (through cyrb128). */
export function seededRng(key: string): RandomGenerator {
  const state = cyrb128(key);
  // xoroshiro128+ must not start from the all-zero state.
  if (!state.some((word) => word !== 0)) state[0] = 1;
  return xoroshiro128plusFromState(state);
}

/** A float in [0, 1). */
export function chance(rng: RandomGenerator): number {
  return uniformFloat64(rng);
}

/** An integer in [from, to], both included. */
export function between(rng: RandomGenerator, from: number, to: number): number {
  return uniformInt(rng, from, to);
}

/**
 * cyrb128: a fast 128-bit string hash (public domain, by bryc), used to spread seeds and for short
 * stable ids; it is not a cryptographic hash.
 */
export function cyrb128(text: string): number[] {
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
