/**
 * The Flink SQL split (flink/split.sql, on the stack's Flink cluster) and the TypeScript splitter,
 * each on its own topic prefix, read the same finished and failed orders; their orders, customers
 * and order_items topics must hold the same records: same keys, same decoded values.
 */
import { describe, expect, it } from 'vitest';
import { total } from '../processors/pipeline.ts';
import { expectedRecords, landedOrders, splitComparison } from './split-fixture.ts';

describe('the Flink SQL split', () => {
  const split = splitComparison({ ts: 'fsts', flink: 'fsfl' });
  const input = landedOrders();
  const expected = expectedRecords(input);
  const lines = expected - 2 * (input.finished.length + input.failed.length);

  it('writes the same keys and values as the TypeScript splitter', async () => {
    await Promise.all([split.produce('ts', input), split.produce('flink', input)]);
    const splitter = await split.startSplitter('equality');
    try {
      const submitted = await split.submit();
      expect(submitted.submitted).toBe(true);
      const [fromTs, fromFlink] = await Promise.all([
        split.read('ts', expected, { timeoutMs: 90_000 }),
        split.read('flink', expected, { timeoutMs: 90_000 }),
      ]);
      expect(total(fromTs)).toBe(expected);
      expect(total(fromFlink)).toBe(expected);
      const a = await split.decoded('ts', fromTs);
      const b = await split.decoded('flink', fromFlink);
      expect(b.orders).toHaveLength(40);
      expect(b.orderItems).toHaveLength(lines);
      expect(b).toEqual(a);
      // Failed orders carry their failure columns through.
      expect(b.orders!.filter((l) => l.includes('"failure_stage":"payment"'))).toHaveLength(10);
    } finally {
      await splitter.stop();
    }
  });
});
