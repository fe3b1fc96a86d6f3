import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { OrderflowError, describeError } from '../../common/errors.ts';
import { createKafka, type Producer } from '../../common/kafka.ts';
import { parseAvro } from '../../common/avro.ts';
import { readSchema, type Encoder } from '../../common/serde.ts';
// The produce form starts from an order drawn by the generator's model (pure and seeded), so a
// hand-edited order looks like the real ones.
import { makeConfig } from '../../simulation/config.ts';
import { generateOrders } from '../../simulation/model/generator.ts';
import type { Order } from '../../schemas/types.generated.ts';
import { withTimeout, type KafkaContext } from './context.ts';

export const produceBody = z.object({
  topic: z.string(),
  /** The order as Avro JSON: decimals as strings ("123.45"), timestamps as UTC epoch ms. */
  value: z.record(z.string(), z.unknown()).optional(),
  /** Write bytes that are not Avro (a poison record, to watch it land in the DLQ). */
  poison: z.boolean().default(false),
});

const ORDER_TYPE = parseAvro(readSchema('order.avsc'));

/** Every path where `value` breaks the order schema, e.g. "order_total: \"12.345\" is not a valid decimal". */
export function schemaErrors(value: unknown): string[] {
  const errors: string[] = [];
  ORDER_TYPE.isValid(value, {
    errorHook: (path, v) =>
      errors.push(
        `${path.join('.') || '(root)'}: ${JSON.stringify(v)?.slice(0, 80)} does not fit the schema`,
      ),
  });
  return errors;
}

/** A fresh generated order (a random seed) to start the form from. */
export function sampleOrder(): Order {
  const now = Date.now();
  const [order] = [
    ...generateOrders(
      makeConfig({ seed: randomInt(1, 2 ** 31), from: now - 3_600_000, until: now, count: 1 }),
      { now: () => now },
    ),
  ];
  return order!;
}

/** Produce a test order (through the registry) or a poison record to a lifecycle topic. */
export class TestProducer {
  private producer: Producer | null = null;
  private readonly encoders = new Map<string, Promise<Encoder<Order>>>();

  constructor(private readonly ctx: KafkaContext) {}

  private async connected(): Promise<Producer> {
    if (this.producer) return this.producer;
    const p = createKafka(this.ctx.o.kafkaBootstrap, 'orderflow-dashboard-produce', this.ctx.o.log).producer({
      'enable.idempotence': true,
      partitioner: 'murmur2_random',
    } as never);
    await withTimeout(p.connect(), 10_000, 'the test producer');
    this.producer = p;
    return p;
  }

  async produce(body: z.infer<typeof produceBody>) {
    const topic = this.ctx.topic('topic', body.topic, ['lifecycle']).topic;
    let key: string;
    let value: Buffer;
    let schemaId: number | null = null;
    if (body.poison) {
      key = `poison-${Date.now().toString(36)}`;
      value = Buffer.from('not avro: a poison record from the dashboard');
    } else {
      if (!body.value)
        throw new OrderflowError('ORDERFLOW_USAGE', 'value: the order is missing (or set poison: true)');
      const errors = schemaErrors(body.value);
      if (errors.length > 0)
        throw new OrderflowError(
          'ORDERFLOW_USAGE',
          `value does not fit order.avsc: ${errors.slice(0, 5).join('; ')}`,
        );
      let encoder = this.encoders.get(topic);
      if (!encoder) {
        encoder = this.ctx.serde.writer<Order>(`${topic}-value`, readSchema('order.avsc'));
        this.encoders.set(topic, encoder);
        encoder.catch(() => this.encoders.delete(topic));
      }
      const e = await encoder;
      schemaId = e.schemaId;
      try {
        value = e.encode(body.value as unknown as Order);
      } catch (error) {
        throw new OrderflowError('ORDERFLOW_USAGE', `value cannot be encoded: ${describeError(error)}`);
      }
      key = String(body.value.order_id);
    }
    const producer = await this.connected();
    const [meta] = await producer.send({
      topic,
      messages: [{ key, value, headers: { 'orderflow.produced-by': 'dashboard' } }],
    });
    return {
      topic,
      key,
      schemaId,
      partition: meta?.partition ?? null,
      offset: meta?.baseOffset ?? null,
      poison: body.poison,
    };
  }

  async close(): Promise<void> {
    const p = this.producer;
    this.producer = null;
    if (p) await p.disconnect().catch(() => undefined);
  }
}
