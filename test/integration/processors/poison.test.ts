import { describe, expect, it } from 'vitest';
import { DLQ_HEADERS } from '../../../runtime/index.ts';
import { dlqTopic, topicName } from '../../../schemas/topics.ts';
import { inputProducer, readTopics, sampleOrders, total, testPipeline, PAYMENT_OUTPUTS } from './pipeline.ts';

describe('payment stage: poison records', () => {
  const pipe = testPipeline('poison');
  const { prefix } = pipe;

  it('sends garbage, a tombstone and an invariant-breaking order to the dlq with headers, and processes the rest', async () => {
    await pipe.createTopics();
    const unpaid = topicName('unpaid', prefix);
    const input = await inputProducer(prefix);
    const { encoder } = input;
    const orders = sampleOrders(60, 53);
    const broken = { ...orders[1]!, order_id: 'broken-total', order_total: '1.00' }; // not the sum of its subtotals
    const garbage = Buffer.from('definitely not an Avro order');
    const brokenBytes = encoder.encode(broken);
    // All in partition 0, in this order: valid, garbage, tombstone, broken, then the valid rest.
    const valid = (i: number) => ({
      key: orders[i]!.order_id,
      value: encoder.encode(orders[i]!),
      partition: 0,
    });
    await input.sendRaw(unpaid, [
      valid(0),
      { key: 'garbage-1', value: garbage, partition: 0 },
      { key: 'tombstone-1', value: null, partition: 0 },
      { key: broken.order_id, value: brokenBytes, partition: 0 },
      ...orders.slice(2).map((_, i) => valid(i + 2)),
    ]);
    await input.close();

    await pipe.startStage('payment');
    const outputs = pipe.topics(...PAYMENT_OUTPUTS);
    const dlq = dlqTopic(unpaid);
    const records = await readTopics(
      [...outputs, dlq],
      (r) => total(r, outputs) >= 59 && total(r, [dlq]) >= 3,
    );

    expect(total(records, outputs)).toBe(59); // every valid order, including those after the poison
    const dead = records.get(dlq)!;
    expect(dead.map((r) => r.key)).toEqual(['garbage-1', 'tombstone-1', 'broken-total']);
    const header = (i: number, name: string) => String(dead[i]!.headers[name]);
    expect(dead[0]!.value).toEqual(garbage);
    expect(dead[1]!.value).toBeNull();
    expect(dead[2]!.value).toEqual(brokenBytes);
    for (const [i, offset, code] of [
      [0, '1', 'ORDERFLOW_DECODE_FAILED'],
      [1, '2', 'ORDERFLOW_DECODE_FAILED'],
      [2, '3', 'ORDERFLOW_INVARIANT_VIOLATED'],
    ] as const) {
      expect(header(i, DLQ_HEADERS.code)).toBe(code);
      expect(header(i, DLQ_HEADERS.stage)).toBe('payment');
      expect(header(i, DLQ_HEADERS.sourceTopic)).toBe(unpaid);
      expect(header(i, DLQ_HEADERS.sourcePartition)).toBe('0');
      expect(header(i, DLQ_HEADERS.sourceOffset)).toBe(offset);
    }
    expect(header(0, DLQ_HEADERS.error)).toMatch(/Confluent-framed/);
    expect(header(2, DLQ_HEADERS.error)).toMatch(/order_total/);
  });
});
