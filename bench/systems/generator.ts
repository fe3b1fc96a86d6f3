/**
 * The produce side: the generator (generate + encode + produce) and its baselines, the raw produce
 * of the same Avro bytes and the Avro round trip alone. Their input is generator orders only.
 */
import { AvroSerde, readSchema } from '../../common/serde.ts';
import type { Order } from '../../schemas/types.generated.ts';
import { benchOrders } from '../input.ts';
import { produceAll } from '../kafka-io.ts';
import { openOrderSink, outcomeOf, topicEnd, topicSystem, type SystemDef, writeOrders } from './system.ts';

export const rawProduce = topicSystem(
  {
    id: 'raw-produce',
    kind: 'baseline',
    title: 'raw produce (pre-encoded orders)',
    method:
      "The generator's producer settings and batching (500 per send, 32 sends in flight) on the same Avro bytes, no generation: first send to last acknowledgement.",
    topics: ['unpaid'],
  },
  async (ctx, probe, { topics: [topic] }) => {
    const messages = ctx.produceInput.stages.payment.input;
    probe.begin();
    const seconds = await produceAll(ctx.kafka, topic, messages);
    probe.end();
    const end = await topicEnd(ctx, topic);
    return outcomeOf(
      messages.length,
      seconds,
      end === messages.length,
      end === messages.length ? undefined : `${end} records in the topic`,
    );
  },
);

export const codec: SystemDef = {
  id: 'codec',
  kind: 'baseline',
  title: 'Avro decode + encode in process',
  unit: 'orders/s',
  method:
    'Decode each pre-encoded order with the registry-resolved reader (common/serde.ts) and encode it again; one thread.',
  ordersPerRecord: () => 1,
  async run(ctx, probe) {
    const serde = new AvroSerde(ctx.registryUrl);
    const messages = ctx.produceInput.stages.payment.input;
    const decoder = serde.reader<Order>(readSchema('order.avsc'));
    const encoder = await serde.writer<Order>('orderflow_bench_order-value', readSchema('order.avsc'));
    await decoder.prepare(messages.slice(0, 1).map((m) => m.value));
    probe.begin();
    const started = performance.now();
    let bytes = 0;
    for (const m of messages) bytes += encoder.encode(decoder.decode(m.value)).length;
    const seconds = (performance.now() - started) / 1000;
    probe.end();
    const expectedBytes = messages.reduce((s, m) => s + m.value.length, 0);
    return outcomeOf(
      messages.length,
      seconds,
      bytes === expectedBytes,
      bytes === expectedBytes ? undefined : 'round trip changed sizes',
    );
  },
};

export const generator = topicSystem(
  {
    id: 'generator',
    kind: 'system',
    title: 'generator (generate + encode + produce)',
    method:
      'The generation core and the generator’s Kafka sink (producer/kafka-sink.ts) in process, same seed and count: first order to last acknowledgement.',
    topics: ['unpaid'],
  },
  async (ctx, probe, { prefix, topics: [topic] }) => {
    const count = ctx.produceInput.orders;
    const sink = await openOrderSink(ctx, prefix);
    try {
      probe.begin();
      const started = performance.now();
      await writeOrders(sink, benchOrders(ctx.seed, count));
      const seconds = (performance.now() - started) / 1000;
      probe.end();
      const end = await topicEnd(ctx, topic);
      const valid = sink.acknowledged === count && end === count;
      return outcomeOf(
        count,
        seconds,
        valid,
        valid ? undefined : `${sink.acknowledged} acknowledged, ${end} in topic`,
      );
    } finally {
      await sink.close();
    }
  },
);
