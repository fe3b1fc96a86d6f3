import { describe, expect, it } from 'vitest';
import { maxRateOf } from '../../../bench/latency-command.ts';
import type { SustainedResult } from '../../../bench/cpu-account.ts';

const sustained = (ordersPerSecond: number, valid = true) => ({
  file: 'bench/results/sustained-2026-12-02T20-00-00-000Z.json',
  result: { chain: { ordersPerSecond, valid } } as unknown as SustainedResult,
});

describe('the rate bench latency scales from', () => {
  it('is the newest sustained chain rate by default, named by its file', () => {
    expect(maxRateOf(undefined, sustained(1069))).toEqual({
      rate: 1069,
      from: 'bench/results/sustained-2026-12-02T20-00-00-000Z.json',
    });
  });

  it('is --rate when given, over any sustained result', () => {
    expect(maxRateOf('500', sustained(1069))).toEqual({ rate: 500, from: '--rate' });
  });

  it('refuses a rate that is not a number of orders/s, naming the flag', () => {
    expect(() => maxRateOf('fast', undefined)).toThrow(/--rate must be a number/);
    expect(() => maxRateOf('1', undefined)).toThrow(/at least 2/);
  });

  it('says what to run when there is no valid sustained result', () => {
    expect(() => maxRateOf(undefined, undefined)).toThrow(/npx orderflow bench sustained/);
    expect(() => maxRateOf(undefined, sustained(900, false))).toThrow(/give --rate/);
  });
});
