import { setTimeout as sleep } from 'node:timers/promises';
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { describe, expect, it } from 'vitest';
import { createKafka } from '../../../common/kafka.ts';
import { counterValue, stageMetrics } from '../../../common/metrics.ts';
import { conn, log } from '../helpers.ts';
import { orderIds, readTopics, sampleOrders, total, testPipeline, PAYMENT_OUTPUTS } from './pipeline.ts';

const N = 4000;

describe('payment stage: fenced producer', () => {
  const pipe = testPipeline('fence');

  it('recovers from being fenced mid-stream by recreating its producer, and stays exact', async () => {
    const encoder = await pipe.load(sampleOrders(N, 71));

    const instanceId = `${pipe.prefix}fence`;
    const stage = await pipe.startStage('payment', { batchSize: 20, instanceId });
    while (stage.runtime.processedRecords === 0) await sleep(50);
    const abortedBefore = await counterValue(stageMetrics.transactions, {
      stage: 'payment',
      outcome: 'aborted',
    });

    // Another producer claims the same transactional id: the stage's producer is fenced.
    const usurper = createKafka(conn.kafkaBootstrap, 'orderflow-test-usurper', log).producer({
      'transactional.id': pipe.names.transactionalId('payment', instanceId),
    } as KafkaJS.ProducerConstructorConfig);
    await usurper.connect();
    await usurper.disconnect();
    expect(stage.runtime.processedRecords).toBeLessThan(N); // fenced mid-stream

    const outputs = pipe.topics(...PAYMENT_OUTPUTS);
    const records = await readTopics(outputs, (r) => total(r) >= N, { timeoutMs: 180_000 });
    expect(total(records)).toBe(N);
    expect(orderIds(encoder, records).size).toBe(N);
    // The fenced transaction was counted as aborted, and the stage went on with a new producer.
    expect(
      await counterValue(stageMetrics.transactions, { stage: 'payment', outcome: 'aborted' }),
    ).toBeGreaterThan(abortedBefore);
  });
});
