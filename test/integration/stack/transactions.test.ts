import { beforeAll, describe, expect, it } from 'vitest';
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { createKafka } from '../../../common/kafka.ts';
import { AvroSerde, readSchema } from '../../../common/serde.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { valueSubject } from '../../../schemas/topics.ts';
import { conn, log } from '../helpers.ts';
import { readTopics, testPipeline } from '../processors/pipeline.ts';

function sampleOrder(id: string): Order {
  const t = Date.UTC(2026, 0, 15, 3, 0, 0);
  return {
    order_id: id,
    order_date: t,
    customer_info: {
      customer_id: 'C-1',
      customer_name: 'Maria Santos',
      company: 'Santos Trading',
      email: 'maria@example.ph',
      street_address: '12 Mabini St',
      lgu: 'Cebu',
      provincial_code: 'PH-CEB',
      contact_number: '+63 917 000 0000',
    },
    payment_info: { payment_status: false, payment_method: null, payment_date: null, tender: null },
    shipping_info: {
      shipping_id: `S-${id}`,
      express_shipping: false,
      order_status: 'PROCESSING',
      shipped_date: null,
      eta: null,
      finished_date: null,
    },
    item_info: [
      {
        sku: 3,
        product_name: 'Instant Coffee 3-in-1',
        category: 'Beverages',
        unit_price: '125.50',
        quantity: 2,
        discount_percent: '10.00',
        subtotal: '225.90',
        vat_rate: null,
        vat_amount: null,
      },
    ],
    item_variety: 1,
    order_total: '225.90',
    failure: null,
    cart_id: null,
    channel: 'online',
    store_id: null,
    vat_total: null,
  };
}

describe('Kafka transactions through the registry on the real broker', () => {
  const pipe = testPipeline('tx');
  const { prefix } = pipe;
  const topic = `${prefix}unpaid_orders`;
  beforeAll(() => pipe.createTopics(3));

  it('shows committed Avro records to read_committed consumers and hides aborted ones', async () => {
    const serde = new AvroSerde(conn.registryUrl);
    const encoder = await serde.writer<Order>(valueSubject(topic), readSchema('order.avsc'));
    const kafka = createKafka(conn.kafkaBootstrap, 'orderflow-test-tx', log);
    const producer = kafka.producer({
      'transactional.id': `${prefix}producer`,
      'enable.idempotence': true,
    } as KafkaJS.ProducerConstructorConfig);
    await producer.connect();

    const committed = ['A-1', 'A-2', 'A-3'];
    const aborted = ['B-1', 'B-2'];
    let tx = await producer.transaction();
    await tx.send({
      topic,
      messages: committed.map((id) => ({ key: id, value: encoder.encode(sampleOrder(id)) })),
    });
    await tx.commit();
    tx = await producer.transaction();
    await tx.send({
      topic,
      messages: aborted.map((id) => ({ key: id, value: encoder.encode(sampleOrder(id)) })),
    });
    await tx.abort();
    tx = await producer.transaction();
    await tx.send({ topic, messages: [{ key: 'A-4', value: encoder.encode(sampleOrder('A-4')) }] });
    await tx.commit();
    await producer.disconnect();

    // A separate serde, as in another process: the writer schema is fetched from the registry by id.
    const decoder = new AvroSerde(conn.registryUrl).reader<Order>(readSchema('order.avsc'));
    // Read until the 4 committed arrived and 3 s passed with nothing more: an aborted record would show.
    const read = await readTopics([topic], (r) => r.get(topic)!.length >= 4, { timeoutMs: 30_000 });
    const values = read.get(topic)!.map((r) => r.value!);
    await decoder.prepare(values);
    const ids = values.map((v) => decoder.decode(v).order_id).sort();
    expect(ids).toEqual(['A-1', 'A-2', 'A-3', 'A-4']);
    const first = decoder.decode(values.find((v) => decoder.decode(v).order_id === 'A-1')!);
    expect(first.item_info[0]!.subtotal).toBe('225.90');
    expect(first.order_date).toBe(Date.UTC(2026, 0, 15, 3, 0, 0));
  });
});
