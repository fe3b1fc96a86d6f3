import { sampleData, type SampleData, type SampleOptions } from '../warehouse/sample-data.ts';

/**
 * The measurement scripts' warehouse sample: `orders` orders over the two years from 2024-11-01,
 * one customer per three orders, seed 20260101 (`more` adds the catalogue or the locations).
 */
export function twoYearSample(orders: number, more: Partial<SampleOptions> = {}): SampleData {
  return sampleData({
    seed: 20260101,
    orders,
    start: Date.UTC(2024, 10, 1),
    days: 730,
    customers: Math.round(orders / 3),
    ...more,
  });
}
