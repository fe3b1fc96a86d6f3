/**
 * Seeded randomness for the generator. One `Random` per concern (volume, customers, baskets, ...)
 * forked from the run's seed by name, so a change in how one model draws does not shift the
 * numbers every other model sees. Built on pure-rand's xoroshiro128+ (fast, 53-bit floats); the
 * distributions themselves are `UniformDraws`'.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { UniformDraws } from '../../common/draws.ts';

/** A 32-bit mix of a seed and a label (FNV-1a then a murmur3 finaliser): stable, well spread. */
export function deriveSeed(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ (seed | 0);
  h = Math.imul(h ^ Math.floor(seed / 0x100000000), 0x01000193);
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

export class Random extends UniformDraws {
  private spareNormal: number | null = null;

  constructor(
    readonly seed: number,
    readonly label = 'root',
  ) {
    super(xoroshiro128plus(deriveSeed(seed, label)));
  }

  /** An independent stream for a named concern. */
  fork(label: string): Random {
    return new Random(this.seed, `${this.label}/${label}`);
  }

  /** Standard normal (Box-Muller, the spare value kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.float();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** k distinct elements of `items`, in draw order (partial Fisher-Yates on a copy). */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = items.slice();
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.float() * (copy.length - i));
      const t = copy[i]!;
      copy[i] = copy[j]!;
      copy[j] = t;
    }
    return copy.slice(0, n);
  }
}
