/**
 * Order records onto the test's topics as the processors write them: Avro in the Confluent wire
 * format under the topic's `-value` subject (registered once per topic), keyed by order_id, in
 * chunks of 500 per send. Shared by the landing fixture and the stock fixture.
 */
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { createKafka, type Producer } from '../../common/kafka.ts';
import { AvroSerde, readSchema, type Encoder } from '../../common/serde.ts';
import { valueSubject } from '../../schemas/topics.ts';
import type { Order } from '../../schemas/types.generated.ts';
import { conn, log } from './helpers.ts';

export interface OrderWriter {
  /** Write `orders` to `topic` in their order; to `partition` when given, else by the key's hash. */
  send(topic: string, orders: readonly Order[], partition?: number): Promise<void>;
  /** Register the order schema under `topic`'s subject now (send does it on first use). */
  register(topic: string): Promise<void>;
  /** The connected producer, for raw records (a poison record, a foreign schema). */
  producer: Producer;
  close(): Promise<void>;
}

const CHUNK = 500;

export async function orderWriter(
  clientId: string,
  config: Partial<KafkaJS.ProducerConstructorConfig> = {},
): Promise<OrderWriter> {
  const serde = new AvroSerde(conn.registryUrl);
  const encoders = new Map<string, Encoder<Order>>();
  const producer: Producer = createKafka(conn.kafkaBootstrap, clientId, log).producer({
    'enable.idempotence': true,
    'linger.ms': 5,
    ...config,
  } as KafkaJS.ProducerConstructorConfig);
  await producer.connect();
  const encoderFor = async (topic: string): Promise<Encoder<Order>> => {
    const encoder =
      encoders.get(topic) ?? (await serde.writer<Order>(valueSubject(topic), readSchema('order.avsc')));
    encoders.set(topic, encoder);
    return encoder;
  };
  return {
    producer,
    async register(topic) {
      await encoderFor(topic);
    },
    async send(topic, orders, partition) {
      const encoder = await encoderFor(topic);
      for (let i = 0; i < orders.length; i += CHUNK) {
        const messages = orders.slice(i, i + CHUNK).map((o) => ({
          key: o.order_id,
          value: encoder.encode(o),
          ...(partition === undefined ? {} : { partition }),
        }));
        await producer.send({ topic, messages });
      }
    },
    async close() {
      await producer.disconnect().catch(() => undefined);
    },
  };
}
