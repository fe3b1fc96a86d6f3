/**
 * A record whose Confluent framing names a schema id the registry does not have (HTTP 404) is poison,
 * not an outage (issue 19): the stage dead-letters it with ORDERFLOW_DECODE_FAILED and the orders
 * behind it in the same partition flow, each exactly once. Before the fix the 404 was retried forever
 * and blocked its partition.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningStage } from '../../../processors/service.ts';
import { DLQ_HEADERS } from '../../../runtime/index.ts';
import { dlqTopic, topicName } from '../../../schemas/topics.ts';
import { createTopics, deleteTopics, uniquePrefix } from '../helpers.ts';
import {
  decodeOrder,
  inputProducer,
  PAYMENT_OUTPUTS,
  readTopics,
  sampleOrders,
  startStage,
  testSettings,
  total,
} from '../processors/pipeline.ts';

/** Magic byte 0, a 4-byte schema id no registry of this stack hands out, then an Avro body. */
function framedWithUnknownId(body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(0, 0);
  header.writeUInt32BE(2_000_000_000, 1);
  return Buffer.concat([header, body]);
}

describe('a record with an unknown schema id', () => {
  const prefix = uniquePrefix('schemaid');
  let stage: RunningStage | undefined;

  afterAll(async () => {
    await stage?.stop();
    await deleteTopics(prefix);
  });

  it('is dead-lettered and the orders behind it in its partition flow exactly once', async () => {
    await createTopics(prefix);
    const unpaid = topicName('unpaid', prefix);
    const input = await inputProducer(prefix);
    const orders = sampleOrders(200, 71);
    const good = orders.map((o) => ({ key: o.order_id, value: input.encoder.encode(o), partition: 0 }));
    const unknown = framedWithUnknownId(good[1]!.value.subarray(5));
    // Partition 0: one good order, the unknown-id record, then every other order behind it.
    await input.sendRaw(unpaid, [
      good[0]!,
      { key: 'unknown-id', value: unknown, partition: 0 },
      ...good.slice(1),
    ]);
    const encoder = input.encoder;
    await input.close();

    const started = Date.now();
    stage = await startStage('payment', testSettings('payment', prefix));
    const outputs = PAYMENT_OUTPUTS.map((key) => topicName(key, prefix));
    const dlq = dlqTopic(unpaid);
    const records = await readTopics(
      [...outputs, dlq],
      (r) => total(r, outputs) >= 200 && total(r, [dlq]) >= 1,
      {
        timeoutMs: 90_000,
      },
    );
    expect(Date.now() - started).toBeLessThan(90_000);

    const out = outputs.flatMap((t) => records.get(t)!);
    const ids = out.map((r) => decodeOrder(encoder, r.value).order_id);
    expect({ records: ids.length, distinct: new Set(ids).size }).toEqual({ records: 200, distinct: 200 });
    expect(new Set(ids)).toEqual(new Set(orders.map((o) => o.order_id)));

    const dead = records.get(dlq)!;
    expect(dead.map((r) => r.key)).toEqual(['unknown-id']);
    expect(dead[0]!.value).toEqual(unknown);
    expect(String(dead[0]!.headers[DLQ_HEADERS.code])).toBe('ORDERFLOW_DECODE_FAILED');
    expect(String(dead[0]!.headers[DLQ_HEADERS.error])).toMatch(
      /schema id 2000000000 is not in the registry/,
    );
    expect(String(dead[0]!.headers[DLQ_HEADERS.sourceOffset])).toBe('1');
  });
});
