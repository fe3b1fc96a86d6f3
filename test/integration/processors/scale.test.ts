import { describe, expect, it } from 'vitest';
import {
  orderIds,
  readTopics,
  sampleOrders,
  total,
  until,
  testPipeline,
  PAYMENT_OUTPUTS,
} from './pipeline.ts';

const N = 5000;

describe('payment stage: two instances', () => {
  const pipe = testPipeline('scale');

  it('split the partitions and hand them over without losing or duplicating an order', async () => {
    const encoder = await pipe.load(sampleOrders(N, 31));

    // Small batches so the stream lasts long enough to rebalance twice in the middle of it.
    const a = await pipe.startStage('payment', { batchSize: 20, instanceId: `${pipe.prefix}a` });
    await until(() => a.runtime.processedRecords > 0, 'instance a to commit');

    const b = await pipe.startStage('payment', { batchSize: 20, instanceId: `${pipe.prefix}b` });
    let shared = false;
    await until(() => {
      const split = a.runtime.assignedPartitions.length > 0 && b.runtime.assignedPartitions.length > 0;
      if (split) {
        shared = true;
        expect(a.runtime.assignedPartitions.length + b.runtime.assignedPartitions.length).toBe(6);
        expect(a.runtime.assignedPartitions.some((p) => b.runtime.assignedPartitions.includes(p))).toBe(
          false,
        );
      }
      return split && b.runtime.processedRecords > 0;
    }, 'instance b to take partitions and commit');
    expect(shared).toBe(true);
    const beforeStop = a.runtime.processedRecords + b.runtime.processedRecords;
    expect(beforeStop).toBeLessThan(N); // the hand-over below happens mid-stream

    await pipe.stopStage(a); // graceful: its partitions move to b

    const outputs = pipe.topics(...PAYMENT_OUTPUTS);
    const records = await readTopics(outputs, (r) => total(r) >= N);
    expect(total(records)).toBe(N);
    expect(orderIds(encoder, records).size).toBe(N);
    // Each input record was committed by exactly one instance.
    expect(a.runtime.processedRecords + b.runtime.processedRecords).toBe(N);
    expect(a.runtime.processedRecords).toBeGreaterThan(0);
    expect(b.runtime.processedRecords).toBeGreaterThan(0);
  });
});
