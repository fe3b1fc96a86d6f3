/**
 * `orderflow reconcile`: read finished_orders and failed_orders from the start to their end
 * (read_committed, a fresh consumer group that commits nothing), then compare with the landed
 * tables in PostgreSQL (schema ORDERFLOW_WAREHOUSE_SCHEMA, where `warehouse migrate` created them).
 */
import { randomUUID } from 'node:crypto';
import { RdKafka } from '@confluentinc/kafka-javascript';
import { describeError, OrderflowError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { toCents } from '../common/money.ts';
import { retry } from '../common/retry.ts';
import { AvroSerde, readSchema } from '../common/serde.ts';
import { kafkaPassthrough } from '../common/settings.ts';
import type { Order } from '../schemas/types.generated.ts';
import { topicName } from '../schemas/topics.ts';
import { sinkLag, type SinkLag } from './sink-lag.ts';
import { connectWarehouse } from '../common/database.ts';
import {
  kafkaOrder,
  reconcile,
  type KafkaOrder,
  type LandedOrder,
  type Reconciliation,
} from './reconcile-compare.ts';

export interface ReconcileOptions {
  kafkaBootstrap: string;
  registryUrl: string;
  databaseUrl: string;
  topicPrefix: string;
  warehouseSchema: string;
  timeoutMs: number;
  log: Logger;
}

export interface KafkaSide {
  orders: Map<string, KafkaOrder>;
  /** Committed records per order id (more than one: a duplicate). */
  recordsPerOrder: Map<string, number>;
  records: number;
  undecodable: number;
}

type Consumer = InstanceType<typeof RdKafka.KafkaConsumer>;

function promisify<T>(fn: (cb: (err: unknown, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}

/** Read every committed record of the topics, from offset 0 to the end of each partition. */
export async function readOrders(o: ReconcileOptions, topics: string[]): Promise<KafkaSide> {
  const consumer: Consumer = new RdKafka.KafkaConsumer(
    {
      'bootstrap.servers': o.kafkaBootstrap,
      'group.id': `${o.topicPrefix}orderflow-reconcile-${randomUUID()}`,
      'client.id': 'orderflow-reconcile',
      'enable.auto.commit': false,
      'enable.partition.eof': true,
      'isolation.level': 'read_committed',
      ...kafkaPassthrough(),
    },
    { 'auto.offset.reset': 'earliest' },
  );
  const deadline = Date.now() + o.timeoutMs;
  try {
    await promisify<unknown>((cb) => consumer.connect({ timeout: Math.min(o.timeoutMs, 30_000) }, cb));
  } catch (error) {
    throw new OrderflowError(
      'ORDERFLOW_BROKER_UNAVAILABLE',
      `reconcile could not reach Kafka: ${describeError(error)}`,
      {
        cause: error,
        retriable: true,
      },
    );
  }
  try {
    const pending = new Set<string>();
    const assignments: { topic: string; partition: number; offset: number }[] = [];
    for (const topic of topics) {
      const metadata = await promisify<RdKafka.Metadata>((cb) =>
        consumer.getMetadata({ topic, timeout: 10_000 }, cb),
      );
      const t = metadata.topics.find((x) => x.name === topic);
      if (!t || t.partitions.length === 0) {
        throw new OrderflowError('ORDERFLOW_USAGE', `topic ${topic} does not exist (wrong --topic-prefix?)`);
      }
      for (const p of t.partitions) {
        assignments.push({ topic, partition: p.id, offset: 0 });
        pending.add(`${topic}/${p.id}`);
      }
    }
    consumer.on('partition.eof', (eof) => pending.delete(`${eof.topic}/${eof.partition}`));
    consumer.assign(assignments);

    const serde = new AvroSerde(o.registryUrl);
    const decoder = serde.reader<Order>(readSchema('order.avsc'));
    const side: KafkaSide = { orders: new Map(), recordsPerOrder: new Map(), records: 0, undecodable: 0 };
    while (pending.size > 0) {
      if (Date.now() > deadline) {
        throw new OrderflowError(
          'ORDERFLOW_BROKER_UNAVAILABLE',
          `reconcile did not reach the end of ${[...pending].join(', ')} within ${o.timeoutMs} ms`,
          { retriable: true },
        );
      }
      const messages = await promisify<RdKafka.Message[]>((cb) => consumer.consume(1000, cb));
      const values = messages.map((m) => m.value ?? null);
      // An unreachable registry is waited for; an unknown schema id is poison (decode() says so).
      await retry(() => decoder.prepare(values), {
        what: `the schema registry at ${o.registryUrl}`,
        code: 'ORDERFLOW_REGISTRY_UNAVAILABLE',
        budgetMs: 60_000,
        onRetry: ({ attempt, error }) => {
          if (attempt === 1)
            o.log.warn({ err: describeError(error) }, 'reconcile: registry unreachable, waiting');
        },
      });
      for (const value of values) {
        side.records++;
        try {
          const order = decoder.decode(value);
          side.orders.set(order.order_id, kafkaOrder(order));
          side.recordsPerOrder.set(order.order_id, (side.recordsPerOrder.get(order.order_id) ?? 0) + 1);
        } catch (error) {
          side.undecodable++;
          o.log.warn({ err: describeError(error) }, 'reconcile: undecodable record skipped');
        }
      }
    }
    return side;
  } finally {
    await promisify<unknown>((cb) => consumer.disconnect(cb)).catch(() => undefined);
  }
}

/** The landed orders, and the order_items rows summed. */
export async function readLanded(
  o: Pick<ReconcileOptions, 'databaseUrl' | 'warehouseSchema'>,
): Promise<{ orders: LandedOrder[]; itemRows: number; deliveredSubtotalCents: number }> {
  const client = await connectWarehouse(o.databaseUrl, o.warehouseSchema);
  try {
    const orders = await client.query<{
      order_id: string;
      order_status: string | null;
      order_total: string | null;
    }>('select order_id, order_status, order_total::text as order_total from orders');
    const items = await client.query<{ n: string; revenue: string }>(
      `select count(*)::text as n,
              coalesce(sum(subtotal) filter (where order_status = 'DELIVERED'), 0)::numeric(14, 2)::text as revenue
         from order_items`,
    );
    return {
      orders: orders.rows.map((r) => ({
        orderId: r.order_id,
        status: r.order_status,
        totalCents: r.order_total === null ? null : toCents(r.order_total),
      })),
      itemRows: Number(items.rows[0]!.n),
      deliveredSubtotalCents: toCents(items.rows[0]!.revenue),
    };
  } catch (error) {
    if (error instanceof OrderflowError) throw error;
    throw new OrderflowError(
      'ORDERFLOW_DATABASE_UNAVAILABLE',
      `reading the landed tables in schema ${o.warehouseSchema} failed: ${describeError(error)} (did \`orderflow warehouse migrate\` run?)`,
      { cause: error },
    );
  } finally {
    await client.end();
  }
}

export async function runReconcile(
  o: ReconcileOptions,
): Promise<Reconciliation & { records: number; undecodable: number; sinkLag: SinkLag[] | null }> {
  const kafka = await readOrders(o, [
    topicName('finished', o.topicPrefix),
    topicName('failed', o.topicPrefix),
  ]);
  const landed = await readLanded(o);
  const result = reconcile(
    kafka.orders,
    landed.orders,
    { rows: landed.itemRows, deliveredSubtotalCents: landed.deliveredSubtotalCents },
    kafka.recordsPerOrder,
  );
  // The lag is context for a mismatch, never a reason to fail by itself.
  const lag = await sinkLag(o.kafkaBootstrap, o.topicPrefix, o.log).catch((error: unknown) => {
    o.log.warn({ err: describeError(error) }, "reconcile: could not read the sink connectors' lag");
    return null;
  });
  return { ...result, records: kafka.records, undecodable: kafka.undecodable, sinkLag: lag };
}
