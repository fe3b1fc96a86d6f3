/**
 * The storefront's random draws for one order: a generator keyed by (seed, order_id), so the same
 * order always draws the same session whatever was processed before it. Pure: no clock, no I/O.
 */
import { chance, seededRng, type RandomGenerator } from '../common/seeded-rng.ts';

export class Draws {
  private readonly rng: RandomGenerator;

  constructor(key: string) {
    this.rng = seededRng(key);
  }

  /** Uniform in [0, 1). */
  float(): number {
    return chance(this.rng);
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
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

  /** Poisson with the given mean (Knuth's product of uniforms; the means here are small). */
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

/** Cumulative sums of weights, for `Draws.weightedIndex`. */
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
