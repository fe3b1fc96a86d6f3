import { pipelineNames } from '../../../common/names.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { createKafka } from '../../../common/kafka.ts';
import { AvroSerde } from '../../../common/serde.ts';
import { PROFILES } from '../../../processors/profiles.ts';
import { StageRuntime } from '../../../runtime/index.ts';
import type { RunningStage } from '../../../processors/service.ts';
import { orderStageHandler } from '../../../processors/stages.ts';
import { topicName, valueSubject } from '../../../schemas/topics.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { conn, createTopics, deleteTopics, log, uniquePrefix } from '../helpers.ts';
import {
  ORDER_SCHEMA,
  inputProducer,
  readTopics,
  sampleOrders,
  startStage,
  testSettings,
  total,
  type TestRecord,
  PAYMENT_OUTPUTS,
} from './pipeline.ts';

const N = 1500;

function byKey(records: Map<string, TestRecord[]>, topic: string): Map<string, string> {
  return new Map(records.get(topic)!.map((r) => [r.key, r.value!.toString('hex')]));
}

describe('payment stage: replay', () => {
  const prefix = uniquePrefix('replay');
  const replayPrefix = uniquePrefix('replayed');
  let first: RunningStage | undefined;
  let replay: StageRuntime<Order> | undefined;

  afterAll(async () => {
    await first?.stop();
    await replay?.stop();
    await deleteTopics(prefix);
    await deleteTopics(replayPrefix);
  });

  it('gives identical outputs, byte for byte, from the same input with a fresh group and fresh output topics', async () => {
    await createTopics(prefix);
    await createTopics(replayPrefix);
    const input = await inputProducer(prefix);
    await input.send(sampleOrders(N, 41));
    await input.close();

    first = await startStage('payment', testSettings('payment', prefix, { seed: 99 }));
    const outputs = PAYMENT_OUTPUTS.map((key) => topicName(key, prefix));
    const original = await readTopics(outputs, (r) => total(r) >= N);
    expect(total(original)).toBe(N);

    // The same input topic again, from the beginning, in a new group, into the other prefix's topics.
    const serde = new AvroSerde(conn.registryUrl);
    const sink = async (topic: string) => ({
      topic,
      encoder: await serde.writer<Order>(valueSubject(topic), ORDER_SCHEMA),
    });
    const replayed = PAYMENT_OUTPUTS.map((key) => topicName(key, replayPrefix));
    replay = new StageRuntime<Order>({
      stage: 'payment',
      kafka: createKafka(conn.kafkaBootstrap, 'orderflow-test-replay', log),
      groupId: `${replayPrefix}replay`,
      instanceId: `${replayPrefix}replay`,
      transactionalId: pipelineNames(replayPrefix).transactionalId('payment', 'replay'),
      inputTopics: [topicName('unpaid', prefix)],
      decoder: serde.reader<Order>(ORDER_SCHEMA),
      handle: orderStageHandler('payment', 99, PROFILES.default, {
        next: await sink(replayed[0]!),
        finished: await sink(replayed[1]!),
        failed: await sink(replayed[2]!),
      }),
      log,
    });
    await replay.start();
    const again = await readTopics(replayed, (r) => total(r) >= N);
    expect(total(again)).toBe(N);

    const paidBefore = byKey(original, outputs[0]!);
    expect(paidBefore.size).toBeGreaterThan(N / 2);
    expect(byKey(again, replayed[0]!)).toEqual(paidBefore);
    expect(byKey(again, replayed[1]!)).toEqual(byKey(original, outputs[1]!));
    expect(byKey(again, replayed[1]!).size).toBeGreaterThan(0); // till sales, straight to finished_orders
    expect(byKey(again, replayed[2]!)).toEqual(byKey(original, outputs[2]!));
  });
});
