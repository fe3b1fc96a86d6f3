import { afterAll, describe, expect, it } from 'vitest';
import type { RunningStage } from '../../../processors/service.ts';
import { topicName } from '../../../schemas/topics.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { createTopics, deleteTopics, uniquePrefix } from '../helpers.ts';
import {
  deletePendingTopics,
  expectPacedExactlyOnce,
  inputProducer,
  readTopics,
  sampleOrders,
  startStage,
  testSettings,
  total,
  until,
} from './pipeline.ts';

const N = 300;
const SPEED = 100_000;
const SPREAD_MS = 20_000; // order dates spread over 20 real seconds after the anchor

describe('payment stage: live pacing across a rebalance', () => {
  const prefix = uniquePrefix('pscale');
  const running: RunningStage[] = [];

  afterAll(async () => {
    for (const r of running) await r.stop();
    await deleteTopics(prefix);
    await deletePendingTopics(prefix);
  });

  it('hands pending outputs to the new owner of their partition: each released once, never early', async () => {
    await createTopics(prefix);
    const anchor = Date.now() + 2000;
    const orders: Order[] = sampleOrders(N, 59).map((o, i) => ({
      ...o,
      order_date: anchor + Math.floor((i * SPREAD_MS * SPEED) / N),
    }));
    const input = await inputProducer(prefix);
    await input.send(orders);
    await input.close();
    const pacing = { speed: SPEED, anchor: String(anchor) };

    // a takes everything into its pending set, then b joins and takes half of the partitions.
    const a = await startStage(
      'payment',
      testSettings('payment', prefix, { ...pacing, instanceId: `${prefix}a` }),
    );
    running.push(a);
    await until(() => a.runtime.processedRecords === N, 'instance a to consume every order');
    expect(a.runtime.pendingRecords).toBeGreaterThan(N / 2);

    const b = await startStage(
      'payment',
      testSettings('payment', prefix, { ...pacing, instanceId: `${prefix}b` }),
    );
    running.push(b);
    await until(
      () => a.runtime.assignedPartitions.length > 0 && b.runtime.assignedPartitions.length > 0,
      'the partitions to be split',
    );
    // b restores the pending entries of its partitions (a dropped them).
    await until(() => b.runtime.pendingRecords > 0, 'instance b to restore pending entries');

    await a.stop(); // graceful: its partitions, and their pending entries, move to b
    running.shift();

    const outputs = [topicName('paid', prefix), topicName('failed', prefix)];
    const records = await readTopics(outputs, (r) => total(r) >= N, { timeoutMs: 120_000, settleMs: 3000 });
    expectPacedExactlyOnce(input.encoder, records, N, anchor, SPEED);
    expect(b.runtime.pendingRecords).toBe(0);
  });
});
