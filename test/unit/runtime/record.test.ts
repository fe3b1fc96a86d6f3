import type avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { parseAvro } from '../../../common/avro.ts';
import { OrderflowError } from '../../../common/errors.ts';
import { AvroSerde, Encoder, readSchema } from '../../../common/serde.ts';
import { PROFILES } from '../../../processors/profiles.ts';
import {
  DLQ_HEADERS,
  Pacer,
  emit,
  processRecord,
  type RecordProcessing,
  type Sink,
} from '../../../runtime/index.ts';
import { orderStageHandler } from '../../../processors/stages.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { unpaidOrder } from '../processors/orders.ts';

const ORDER_SCHEMA = readSchema('order.avsc');

/** A serde whose writer schemas come from memory (id 1 = order.avsc) instead of a registry. */
class InMemorySerde extends AvroSerde {
  constructor() {
    super('http://127.0.0.1:1/unused');
  }
  override async writerType(id: number): Promise<avro.Type> {
    if (id !== 1) throw new Error(`unknown schema id ${id}`);
    return parseAvro(ORDER_SCHEMA);
  }
}

const encoder = new Encoder<Order>(1, parseAvro(ORDER_SCHEMA));
const paid: Sink<Order> = {
  topic: 'paid_orders',
  encoder,
  check: (o) => (o.order_total === '0.00' ? ['order_total is zero'] : []),
};
const failed: Sink<Order> = { topic: 'failed_orders', encoder };
const source = (offset: string) => ({
  topic: 'unpaid_orders',
  partition: 3,
  offset,
  key: Buffer.from('k'),
  timestamp: '0',
});

async function processing(
  handle = orderStageHandler('payment', 1, PROFILES.default, { next: paid, failed }),
): Promise<RecordProcessing<Order>> {
  const decoder = new InMemorySerde().reader<Order>(ORDER_SCHEMA);
  await decoder.prepare([encoder.encode(unpaidOrder(0))]);
  return { stage: 'payment', decoder, handle, deadLetterTopic: (t) => `${t}.dlq` };
}

describe('processRecord', () => {
  it('decodes, applies the stage and encodes its output keyed by order_id', async () => {
    const p = await processing();
    const order = unpaidOrder(5);
    const result = processRecord(p, source('10'), encoder.encode(order));
    expect(result.kind).toBe('output');
    if (result.kind !== 'output') return;
    expect(result.messages).toHaveLength(1);
    const { topic, message } = result.messages[0]!;
    expect(['paid_orders', 'failed_orders']).toContain(topic);
    expect(message.key).toBe(order.order_id);
    const out = encoder.type.fromBuffer((message.value as Buffer).subarray(5)) as Order;
    expect(out.order_id).toBe(order.order_id);
    expect(result.originTime).toBe(order.order_date);
    expect(result.releaseAt).toBeGreaterThanOrEqual(order.order_date);
    // Same input, same bytes (replay safety).
    const again = processRecord(p, source('10'), encoder.encode(order));
    expect(again).toEqual(result);
  });

  it('dead-letters garbage with the original bytes and the error headers', async () => {
    const p = await processing();
    const garbage = Buffer.from('not avro at all');
    const result = processRecord(p, source('7'), garbage, { trace: 'abc' });
    expect(result.kind).toBe('dead-letter');
    if (result.kind !== 'dead-letter') return;
    expect(result.topic).toBe('unpaid_orders.dlq');
    expect(result.code).toBe('ORDERFLOW_DECODE_FAILED');
    expect(result.message.value).toBe(garbage);
    expect(result.message.key).toEqual(Buffer.from('k'));
    expect(result.message.headers).toMatchObject({
      trace: 'abc',
      [DLQ_HEADERS.code]: 'ORDERFLOW_DECODE_FAILED',
      [DLQ_HEADERS.stage]: 'payment',
      [DLQ_HEADERS.sourceTopic]: 'unpaid_orders',
      [DLQ_HEADERS.sourcePartition]: '3',
      [DLQ_HEADERS.sourceOffset]: '7',
    });
    expect(String(result.message.headers![DLQ_HEADERS.error])).toMatch(/Confluent-framed/);
  });

  it('dead-letters an order whose output breaks the sink check', async () => {
    const p = await processing((o) => [emit(paid, o.order_id, { ...o, order_total: '0.00' })]);
    const result = processRecord(p, source('8'), encoder.encode(unpaidOrder(1)));
    expect(result.kind === 'dead-letter' && result.code).toBe('ORDERFLOW_INVARIANT_VIOLATED');
    expect(result.kind === 'dead-letter' && result.error).toMatch(/order_total is zero/);
  });

  it('dead-letters an input the stage cannot work on (already paid)', async () => {
    const p = await processing();
    const order = unpaidOrder(2);
    order.payment_info = {
      payment_status: true,
      payment_method: 'CREDIT_CARD',
      payment_date: order.order_date,
      tender: null,
    };
    const result = processRecord(p, source('9'), encoder.encode(order));
    expect(result.kind === 'dead-letter' && result.code).toBe('ORDERFLOW_INVARIANT_VIOLATED');
  });

  it('dead-letters an output that does not fit its schema', async () => {
    const p = await processing((o) => [emit(paid, o.order_id, { ...o, order_total: 'lots' })]);
    const result = processRecord(p, source('9'), encoder.encode(unpaidOrder(2)));
    expect(result.kind === 'dead-letter' && result.error).toMatch(/does not fit its schema/);
  });

  it('throws (does not skip) on a handler bug', async () => {
    const p = await processing(() => {
      throw new TypeError('boom');
    });
    expect(() => processRecord(p, source('1'), encoder.encode(unpaidOrder(2)))).toThrow('boom');
    const q = await processing(() => {
      throw new OrderflowError('ORDERFLOW_CONFIG_INVALID', 'not a record problem');
    });
    expect(() => processRecord(q, source('1'), encoder.encode(unpaidOrder(2)))).toThrow(OrderflowError);
  });

  it('allows zero or several outputs per record', async () => {
    const p = await processing((o) => [
      emit(paid, o.order_id, o, { releaseAt: 5 }),
      emit(failed, 'x', o, { releaseAt: 9, failure: true }),
    ]);
    const result = processRecord(p, source('1'), encoder.encode(unpaidOrder(2)));
    expect(result.kind === 'output' && result.messages.map((m) => [m.topic, m.failure])).toEqual([
      ['paid_orders', false],
      ['failed_orders', true],
    ]);
    expect(result.kind === 'output' && result.releaseAt).toBe(9);
    const none = processRecord(await processing(() => []), source('1'), encoder.encode(unpaidOrder(2)));
    expect(none).toEqual({ kind: 'output', messages: [], releaseAt: undefined, originTime: undefined });
  });
});

describe('Pacer', () => {
  it('maps simulated time to wall time with the speed factor from the anchor', () => {
    const anchor = Date.UTC(2026, 0, 1);
    const pacer = new Pacer({ speed: 60, anchorMs: anchor });
    expect(pacer.dueAt(anchor)).toBe(anchor);
    expect(pacer.dueAt(anchor + 3_600_000)).toBe(anchor + 60_000); // one simulated hour = one real minute
    expect(pacer.dueAt(anchor - 5_000)).toBe(anchor - 5_000); // the past is due at once
    expect(() => new Pacer({ speed: 0, anchorMs: anchor })).toThrow(RangeError);
  });
});
