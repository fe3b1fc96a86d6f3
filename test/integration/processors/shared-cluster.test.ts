import { describe, expect, it } from 'vitest';
import { counterValue, stageMetrics } from '../../../common/metrics.ts';
import { orderIds, PAYMENT_OUTPUTS, readTopics, sampleOrders, testPipeline, total } from './pipeline.ts';

const N = 3000;

describe('two pipelines on one cluster', () => {
  const pipelines = [testPipeline('pipe-a'), testPipeline('pipe-b')];

  it('stages with the same instance id but different prefixes never fence each other', async () => {
    const instanceId = 'shared-instance';
    const [a, b] = pipelines.map((p) => p.names.transactionalId('payment', instanceId));
    expect(a).not.toBe(b);

    const encoders = [];
    for (const [i, pipe] of pipelines.entries()) encoders.push(await pipe.load(sampleOrders(N, 300 + i)));
    const aborted = () => counterValue(stageMetrics.transactions, { stage: 'payment', outcome: 'aborted' });
    const abortedBefore = await aborted();
    // Small batches: many transactions interleave on the broker while both run.
    for (const pipe of pipelines) await pipe.startStage('payment', { batchSize: 50, instanceId });

    for (const [i, pipe] of pipelines.entries()) {
      const records = await readTopics(
        PAYMENT_OUTPUTS.map((key) => pipe.names.topic(key)),
        (r) => total(r) >= N,
        {
          timeoutMs: 180_000,
        },
      );
      expect(total(records)).toBe(N);
      expect(orderIds(encoders[i]!, records).size).toBe(N);
    }
    // A fenced producer aborts its transaction and is recreated: with distinct ids, none was.
    expect(await aborted()).toBe(abortedBefore);
  });
});
