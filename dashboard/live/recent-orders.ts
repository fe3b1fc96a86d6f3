import rdkafka from '@confluentinc/kafka-javascript';
import type { KafkaConsumer, Message } from '@confluentinc/kafka-javascript';
import { describeError } from '../../common/errors.ts';
import { AvroSerde, readSchema, type Decoder } from '../../common/serde.ts';
import type { Order } from '../../schemas/types.generated.ts';
import { gapKey, type PartitionGap } from './rates.ts';

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
          'enable.partition.eof': true,
          // Short reads at the end of a partition: the broker answers an empty fetch at once.
          'fetch.wait.max.ms': 50,
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

  /**
   * The committed records in each gap (read_committed: transaction markers and aborted records are not
   * records). A partition counts once it is read to its end; offsets past the point where the read
   * stops (an open transaction) count as records still to come. Partitions not read to their end
   * within `waitMs` are left out, and their caller falls back to offsets.
   */
  async countRecords(gaps: PartitionGap[], waitMs = 2000): Promise<Map<string, number>> {
    const counted = new Map<string, number>();
    if (gaps.length === 0) return counted;
    const open = new Map(gaps.map((g) => [gapKey(g), { gap: g, seen: 0, eofAt: -1 }]));
    const consumer = await this.connect();
    // The client emits a batch's end-of-partition events before handing over its messages: note
    // them here and settle the partitions after counting the batch.
    const onEof = (eof: { topic: string; partition: number; offset: number }) => {
      const entry = open.get(gapKey(eof));
      if (entry) entry.eofAt = eof.offset;
    };
    consumer.on('partition.eof', onEof);
    consumer.assign(gaps.map((g) => ({ topic: g.topic, partition: g.partition, offset: g.from })));
    consumer.setDefaultConsumeTimeout(50); // short polls: a gap of markers only yields no message at all
    try {
      const deadline = Date.now() + waitMs;
      while (open.size > 0 && Date.now() < deadline) {
        const batch = await new Promise<Message[]>((resolve, reject) =>
          consumer.consume(100, (error, got) => (error ? reject(error) : resolve(got))),
        );
        for (const m of batch) {
          const entry = open.get(gapKey(m));
          if (entry && m.offset < entry.gap.to) entry.seen++;
        }
        for (const [key, entry] of open) {
          if (entry.eofAt >= 0) {
            // Offsets past where the read ended belong to a transaction still open: records to come.
            counted.set(key, entry.seen + Math.max(0, entry.gap.to - Math.max(entry.eofAt, entry.gap.from)));
            open.delete(key);
          }
        }
      }
    } finally {
      consumer.removeListener('partition.eof', onEof);
      consumer.setDefaultConsumeTimeout(500);
      consumer.unassign();
    }
    return counted;
  }

  async close(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    this.connecting = null;
    if (consumer) await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}
