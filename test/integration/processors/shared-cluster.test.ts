import { afterAll, describe, expect, it } from 'vitest';
import { counterValue, stageMetrics } from '../../../common/metrics.ts';
import { pipelineNames } from '../../../common/names.ts';
import type { RunningStage } from '../../../processors/service.ts';
import { createTopics, deleteTopics, uniquePrefix } from '../helpers.ts';
import {
  decodeOrder,
  inputProducer,
  readTopics,
  sampleOrders,
  startStage,
  testSettings,
  total,
} from './pipeline.ts';

const N = 3000;

describe('two pipelines on one cluster', () => {
  const prefixes = [uniquePrefix('pipe-a'), uniquePrefix('pipe-b')];
  const stages: RunningStage[] = [];

  afterAll(async () => {
    for (const s of stages) await s.stop();
    for (const p of prefixes) await deleteTopics(p);
  });

  it('stages with the same instance id but different prefixes never fence each other', async () => {
    const instanceId = 'shared-instance';
    const [a, b] = prefixes.map((p) => pipelineNames(p).transactionalId('payment', instanceId));
    expect(a).not.toBe(b);

    const encoders = [];
    for (const [i, prefix] of prefixes.entries()) {
      await createTopics(prefix);
      const input = await inputProducer(prefix);
      await input.send(sampleOrders(N, 300 + i));
      await input.close();
      encoders.push(input.encoder);
    }
    const abortedBefore = await counterValue(stageMetrics.transactions, {
      stage: 'payment',
      outcome: 'aborted',
    });
    // Small batches: many transactions interleave on the broker while both run.
    for (const prefix of prefixes) {
      stages.push(
        await startStage('payment', testSettings('payment', prefix, { batchSize: 50, instanceId })),
      );
    }

    for (const [i, prefix] of prefixes.entries()) {
      const n = pipelineNames(prefix);
      const records = await readTopics([n.topic('paid'), n.topic('failed')], (r) => total(r) >= N, {
        timeoutMs: 180_000,
      });
      expect(total(records)).toBe(N);
      const ids = new Set<string>();
      for (const list of records.values())
        for (const r of list) ids.add(decodeOrder(encoders[i]!, r.value).order_id);
      expect(ids.size).toBe(N);
    }
    // A fenced producer aborts its transaction and is recreated: with distinct ids, none was.
    expect(await counterValue(stageMetrics.transactions, { stage: 'payment', outcome: 'aborted' })).toBe(
      abortedBefore,
    );
  });
});
