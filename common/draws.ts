/**
 * The distributions every simulated model draws from: integers, coin flips, weighted choices,
 * geometric and Poisson counts, all built on one seeded uniform source. The generator's `Random`
 * (forked by concern from the run's seed) and the storefront's per-order `Draws` (keyed by seed and
 * order id) differ only in how that source is seeded. Pure: no clock, no I/O.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export class UniformDraws {
  constructor(private readonly rng: RandomGenerator) {}

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.rng);
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)]!;
  }

  /** An index drawn with the given cumulative weights (ascending, last = total). */
  weightedIndex(cumulative: readonly number[]): number {
    const x = this.float() * cumulative[cumulative.length - 1]!;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** A count >= 0 with the given mean (geometric: each further one as likely as the mean says). */
  geometric(mean: number): number {
    if (mean <= 0) return 0;
    const q = mean / (1 + mean);
    return Math.floor(Math.log(1 - this.float()) / Math.log(q));
  }

  /** Poisson with the given mean (Knuth's product of uniforms; for small means). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }
}

/** Cumulative sums of weights, for `UniformDraws.weightedIndex`. */
export function cumulative(weights: readonly number[]): number[] {
  const out: number[] = [];
  let sum = 0;
  for (const w of weights) {
    if (!(w >= 0)) throw new RangeError(`weights must be non-negative numbers, got ${w}`);
    sum += w;
    out.push(sum);
  }
  if (!(sum > 0)) throw new RangeError('weights must not all be zero');
  return out;
}
