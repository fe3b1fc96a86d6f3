import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { Stage } from '../schemas/types.generated.ts';

export type { RandomGenerator };

/**
 * Deterministic randomness for the stages: every draw a stage makes for an order comes from a
 * generator seeded by (global seed, stage, order_id), so processing the same order again (after a
 * crash, a rebalance or a replay) gives the same outcome and the same bytes.
 */
export function stageRng(seed: number, stage: Stage, orderId: string): RandomGenerator {
  const state = cyrb128(`${seed}\u0000${stage}\u0000${orderId}`);
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
 * cyrb128: a fast 128-bit string hash (public domain, by bryc), used only to spread seeds; it is not
 * a cryptographic hash.
 */
function cyrb128(text: string): number[] {
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
