import { describe, expect, it } from 'vitest';
import { shippingId, ulid, ulidTime } from '../../../simulation/model/identifiers.ts';
import { Random, deriveSeed } from '../../../simulation/model/random.ts';

describe('order ids (ULID)', () => {
  it('are 26 Crockford base32 characters encoding the event time', () => {
    const rng = new Random(1);
    const t = Date.UTC(2025, 2, 14, 3, 4, 5, 678);
    const id = ulid(t, rng);
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(ulidTime(id)).toBe(t);
    expect(ulid(0, rng).slice(0, 10)).toBe('0000000000');
  });

  it('sort by time', () => {
    const rng = new Random(2);
    const a = ulid(Date.UTC(2025, 0, 1), rng);
    const b = ulid(Date.UTC(2025, 0, 1, 0, 0, 0, 1), rng);
    expect(a < b).toBe(true);
  });

  it('do not repeat: 200k ids at the same millisecond, and across seeds', () => {
    const t = Date.UTC(2025, 0, 1);
    const seen = new Set<string>();
    for (const seed of [1, 2]) {
      const rng = new Random(seed);
      for (let i = 0; i < 100_000; i++) seen.add(ulid(t, rng));
    }
    expect(seen.size).toBe(200_000);
  });

  it('reject times outside 48 bits', () => {
    expect(() => ulid(-1, new Random(1))).toThrow(RangeError);
    expect(() => ulid(2 ** 48, new Random(1))).toThrow(RangeError);
  });
});

describe('shipping ids', () => {
  it('look like PH-dddd-dddd-dddd-dddd', () => {
    expect(shippingId(new Random(1))).toMatch(/^PH-\d{4}-\d{4}-\d{4}-\d{4}$/);
  });
});

describe('seeded randomness', () => {
  it('same seed and label give the same stream; forks are independent', () => {
    const a = new Random(42);
    const b = new Random(42);
    expect([a.float(), a.int(1, 6), a.normal()]).toEqual([b.float(), b.int(1, 6), b.normal()]);
    expect(new Random(42).fork('x').float()).not.toBe(new Random(42).fork('y').float());
    expect(deriveSeed(1, 'a')).not.toBe(deriveSeed(2, 'a'));
    expect(deriveSeed(2 ** 40 + 1, 'a')).not.toBe(deriveSeed(1, 'a'));
  });

  it('int() covers both ends of its range uniformly (seed 3, 60k draws, within 5%)', () => {
    const r = new Random(3);
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 60_000; i++) counts[r.int(1, 6) - 1]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });
});
