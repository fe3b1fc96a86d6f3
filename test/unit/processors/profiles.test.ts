import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../../processors/profiles.ts';
import { dateProblems, runChain } from './chain.ts';
import { unpaidOrder } from './orders.ts';

const N = 60_000;

function mix(profile: keyof typeof PROFILES, seed: number): Record<string, number> {
  const counts: Record<string, number> = { DELIVERED: 0, TIMED_OUT: 0, CANCELLED: 0, RETURNED: 0 };
  for (let i = 0; i < N; i++) {
    const final = runChain(unpaidOrder(i), seed, PROFILES[profile]);
    if (i < 2000) expect(dateProblems(final)).toEqual([]);
    counts[final.shipping_info.order_status]!++;
  }
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / N]));
}

describe('profiles over the whole chain', () => {
  it('historical gives ~92% delivered, 5% timed out, 1.8% cancelled, 0.9% returned (seed 99, N=60000, tolerance 0.4 points)', () => {
    const m = mix('historical', 99);
    expect(Math.abs(m.DELIVERED! - 0.9231)).toBeLessThan(0.004);
    expect(Math.abs(m.TIMED_OUT! - 0.05)).toBeLessThan(0.004);
    expect(Math.abs(m.CANCELLED! - 0.018)).toBeLessThan(0.004);
    expect(Math.abs(m.RETURNED! - 0.0089)).toBeLessThan(0.004);
  });

  it('default gives the per-stage rates of docs/design.md section 5 compounded (seed 5, N=60000, tolerance 0.6 points)', () => {
    const m = mix('default', 5);
    expect(Math.abs(m.TIMED_OUT! - 0.23)).toBeLessThan(0.006);
    expect(Math.abs(m.DELIVERED! - 0.77 * 0.95 * 0.95)).toBeLessThan(0.006);
    expect(Math.abs(m.CANCELLED! - (0.77 * 0.05 + 0.77 * 0.95 * 0.035))).toBeLessThan(0.006);
    expect(Math.abs(m.RETURNED! - 0.77 * 0.95 * 0.015)).toBeLessThan(0.006);
  });
});
