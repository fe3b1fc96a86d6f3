import { describe, expect, it } from 'vitest';
import {
  expectPacedExactlyOnce,
  readTopics,
  total,
  until,
  testPipeline,
  PAYMENT_OUTPUTS,
} from './pipeline.ts';

const N = 300;
const SPEED = 100_000;
const SPREAD_MS = 20_000; // order dates spread over 20 real seconds after the anchor

describe('payment stage: live pacing across a rebalance', () => {
  const pipe = testPipeline('pscale');

  it('hands pending outputs to the new owner of their partition: each released once, never early', async () => {
    const { anchor, encoder, pacing } = await pipe.loadPaced(N, 59, {
      startsInMs: 2000,
      spreadMs: SPREAD_MS,
      speed: SPEED,
    });

    // a takes everything into its pending set, then b joins and takes half of the partitions.
    const a = await pipe.startStage('payment', { ...pacing, instanceId: `${pipe.prefix}a` });
    await until(() => a.runtime.processedRecords === N, 'instance a to consume every order');
    expect(a.runtime.pendingRecords).toBeGreaterThan(N / 2);

    const b = await pipe.startStage('payment', { ...pacing, instanceId: `${pipe.prefix}b` });
    await until(
      () => a.runtime.assignedPartitions.length > 0 && b.runtime.assignedPartitions.length > 0,
      'the partitions to be split',
    );
    // b restores the pending entries of its partitions (a dropped them).
    await until(() => b.runtime.pendingRecords > 0, 'instance b to restore pending entries');

    await pipe.stopStage(a); // graceful: its partitions, and their pending entries, move to b

    const outputs = pipe.topics(...PAYMENT_OUTPUTS);
    const records = await readTopics(outputs, (r) => total(r) >= N, { timeoutMs: 120_000, settleMs: 3000 });
    expectPacedExactlyOnce(encoder, records, N, anchor, SPEED);
    expect(b.runtime.pendingRecords).toBe(0);
  });
});
