import { afterAll, describe, expect, it } from 'vitest';
import type { RunningStage } from '../../../processors/service.ts';
import { topicName } from '../../../schemas/topics.ts';
import { createTopics, deleteTopics, uniquePrefix } from '../helpers.ts';
import {
  decodeOrder,
  inputProducer,
  readTopics,
  sampleOrders,
  startStage,
  testSettings,
  total,
  until,
} from './pipeline.ts';

const N = 5000;

describe('payment stage: two instances', () => {
  const prefix = uniquePrefix('scale');
  const running: RunningStage[] = [];

  afterAll(async () => {
    for (const r of running) await r.stop();
    await deleteTopics(prefix);
  });

  it('split the partitions and hand them over without losing or duplicating an order', async () => {
    await createTopics(prefix);
    const orders = sampleOrders(N, 31);
    const input = await inputProducer(prefix);
    await input.send(orders);
    await input.close();

    // Small batches so the stream lasts long enough to rebalance twice in the middle of it.
    const a = await startStage(
      'payment',
      testSettings('payment', prefix, { batchSize: 20, instanceId: `${prefix}a` }),
    );
    running.push(a);
    await until(() => a.runtime.processedRecords > 0, 'instance a to commit');

    const b = await startStage(
      'payment',
      testSettings('payment', prefix, { batchSize: 20, instanceId: `${prefix}b` }),
    );
    running.push(b);
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

    await a.stop(); // graceful: its partitions move to b
    running.shift();

    const outputs = [topicName('paid', prefix), topicName('failed', prefix)];
    const records = await readTopics(outputs, (r) => total(r) >= N);
    expect(total(records)).toBe(N);
    const ids = new Set<string>();
    for (const list of records.values())
      for (const r of list) ids.add(decodeOrder(input.encoder, r.value).order_id);
    expect(ids.size).toBe(N);
    // Each input record was committed by exactly one instance.
    expect(a.runtime.processedRecords + b.runtime.processedRecords).toBe(N);
    expect(a.runtime.processedRecords).toBeGreaterThan(0);
    expect(b.runtime.processedRecords).toBeGreaterThan(0);
  });
});
