import rdkafka from '@confluentinc/kafka-javascript';
import type { KafkaConsumer, Message } from '@confluentinc/kafka-javascript';
import { describeError } from '../../common/errors.ts';
import { AvroSerde, readSchema, type Decoder } from '../../common/serde.ts';
import type { Order } from '../../schemas/types.generated.ts';

/** One order as the live view shows it: where it is now and what it looks like. */
export interface RecentOrder {
  topic: string;
  partition: number;
  offset: string;
  /** When the record was written (broker/producer time, UTC ms). */
  writtenAt: number | null;
  orderId: string;
  orderDate: number;
  customer: string;
  province: string;
  items: number;
  total: string;
  status: string;
  paymentMethod: string | null;
  express: boolean;
  failure: string | null;
}

export interface TopicTail {
  topic: string;
  partitions: { partition: number; low: number; high: number }[];
}

/**
 * Reads the newest few records of the order topics and decodes them with the registry's writer
 * schemas. A plain assigned consumer (no group join, nothing committed), kept open between reads.
 */
export class RecentOrdersReader {
  private consumer: KafkaConsumer | null = null;
  private connecting: Promise<KafkaConsumer> | null = null;
  private readonly decoder: Decoder<Order>;

  constructor(
    private readonly bootstrap: string,
    registryUrl: string,
  ) {
    this.decoder = new AvroSerde(registryUrl).reader<Order>(readSchema('order.avsc'));
  }

  private connect(): Promise<KafkaConsumer> {
    if (this.consumer) return Promise.resolve(this.consumer);
    this.connecting ??= new Promise<KafkaConsumer>((resolve, reject) => {
      const consumer = new rdkafka.KafkaConsumer(
        {
          'bootstrap.servers': this.bootstrap,
          'group.id': `orderflow-dashboard-${process.pid}`,
          'client.id': 'orderflow-dashboard',
          'enable.auto.commit': false,
          'isolation.level': 'read_committed',
        },
        { 'auto.offset.reset': 'latest' },
      );
      consumer.setDefaultConsumeTimeout(500);
      consumer.connect({ timeout: 5000 }, (error) => {
        if (error) {
          this.connecting = null;
          reject(new Error(`cannot connect a consumer to ${this.bootstrap}: ${describeError(error)}`));
          return;
        }
        this.consumer = consumer;
        resolve(consumer);
      });
    });
    return this.connecting;
  }

  /** The `limit` newest orders across `tails` (reading at most `perPartition` records from each partition's end). */
  async read(tails: TopicTail[], limit = 12, perPartition = 3): Promise<RecentOrder[]> {
    const assignments = tails.flatMap((t) =>
      t.partitions
        .filter((p) => p.high > p.low)
        .map((p) => ({
          topic: t.topic,
          partition: p.partition,
          offset: Math.max(p.low, p.high - perPartition),
        })),
    );
    if (assignments.length === 0) return [];
    const consumer = await this.connect();
    consumer.assign(assignments);
    const messages: Message[] = [];
    try {
      // Fetching from a new assignment takes a moment; transaction markers take offsets too, so fewer
      // records than the offsets suggest may exist: stop at the expected count, on the first empty poll
      // after some records came, or at the deadline.
      const expected = assignments.reduce(
        (a, x) =>
          a +
          (tails.find((t) => t.topic === x.topic)!.partitions.find((p) => p.partition === x.partition)!.high -
            x.offset),
        0,
      );
      const deadline = Date.now() + 4000;
      while (messages.length < expected && Date.now() < deadline) {
        const batch = await new Promise<Message[]>((resolve, reject) =>
          consumer.consume(500, (error, got) => (error ? reject(error) : resolve(got))),
        );
        if (batch.length === 0 && messages.length > 0) break;
        messages.push(...batch);
      }
    } finally {
      consumer.unassign();
    }
    const values = messages.map((m) => m.value ?? null);
    await this.decoder.prepare(values);
    const orders: RecentOrder[] = [];
    for (const m of messages) {
      let order: Order;
      try {
        order = this.decoder.decode(m.value ?? null);
      } catch {
        continue; // not an order record (e.g. a poison record on its way to the DLQ)
      }
      orders.push({
        topic: m.topic,
        partition: m.partition,
        offset: String(m.offset),
        writtenAt: m.timestamp ?? null,
        orderId: order.order_id,
        orderDate: order.order_date,
        customer: order.customer_info.customer_name,
        province: order.customer_info.provincial_code,
        items: order.item_info.length,
        total: order.order_total,
        status: order.shipping_info.order_status,
        paymentMethod: order.payment_info.payment_method,
        express: order.shipping_info.express_shipping,
        failure: order.failure ? `${order.failure.stage}: ${order.failure.reason}` : null,
      });
    }
    orders.sort((a, b) => (b.writtenAt ?? 0) - (a.writtenAt ?? 0) || b.orderDate - a.orderDate);
    return orders.slice(0, limit);
  }

  async close(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    this.connecting = null;
    if (consumer) await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}
