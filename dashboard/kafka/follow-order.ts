import { z } from 'zod';
import type { Db } from '../warehouse-reader.ts';
import { LIFECYCLE, watermarks, type KafkaContext } from './context.ts';
import { partitionFor } from './murmur2.ts';
import { readRanges, type PartitionRange } from '../../common/record-reader.ts';
import { decodeRecords, showDate, type RecordJson, type SchemaTexts } from './record-json.ts';
import type { TopicKey } from '../../schemas/topics.ts';

export const followQuery = z.object({
  order: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'an order id (letters, digits, "_" and "-")'),
});

export interface StageStep {
  topic: string;
  stage: string;
  writtenAt: string | null;
  /** Milliseconds of write time since the previous lifecycle record of the order. */
  sincePreviousMs: number | null;
}

export interface FollowResult {
  orderId: string;
  found: boolean;
  /** Every Kafka record of the order, by write time. */
  records: RecordJson[];
  steps: StageStep[];
  /** The order's own (simulated) event times, from its newest lifecycle record. */
  eventTimes: Record<string, string | null>;
  postgres: { table: string; rows: Record<string, unknown>[] }[];
  postgresError?: string;
  /** Why there are no PostgreSQL rows when that is not an error (e.g. no landing tables yet). */
  postgresNote?: string;
  complete: boolean;
  readMs: number;
}

const READ_MS = 10_000;
const STAGE_OF: Partial<Record<TopicKey, string>> = {
  unpaid: 'unpaid (generated)',
  paid: 'paid',
  shipped: 'shipped',
  finished: 'finished',
  failed: 'failed',
};

interface DecodedOrder {
  order_id?: string;
  order_date?: string;
  customer_info?: { customer_id?: string };
  payment_info?: { payment_date?: string | null };
  shipping_info?: { shipped_date?: string | null; finished_date?: string | null };
  failure?: { failed_at?: string } | null;
  item_info?: { sku?: number }[];
}

/**
 * Follow one order: its records on the lifecycle topics (the partition of its key, found with
 * Kafka's partitioner), on the split topics (orders by order id, order_items by `<id>-<sku>`,
 * customers by customer id), and its PostgreSQL rows, in time order with the time per stage.
 */
export async function followOrder(
  ctx: KafkaContext,
  db: Db,
  schemas: SchemaTexts,
  orderId: string,
): Promise<FollowResult> {
  const started = performance.now();
  const deadline = Date.now() + READ_MS;
  const n = ctx.names;
  const existing = new Set(await (await ctx.admin()).listTopics());
  const rangesFor = async (topic: string, key: string): Promise<PartitionRange[]> => {
    if (!existing.has(topic)) return [];
    const parts = await watermarks(ctx, topic);
    const p = parts[partitionFor(key, parts.length)];
    return p ? [{ topic, partition: p.partition, from: p.low, to: p.high }] : [];
  };
  const first = (
    await Promise.all([...LIFECYCLE, 'orders' as const].map((k) => rangesFor(n.topic(k), orderId)))
  ).flat();
  const key = Buffer.from(orderId);
  const phase1 = await readRanges(ctx.o.kafkaBootstrap, first, {
    maxRecords: 100,
    timeoutMs: Math.max(1000, deadline - Date.now()),
    keep: (r) => r.key !== null && r.key.equals(key),
  });
  const records = await decodeRecords(ctx.serde, schemas, phase1.records);
  const lifecycle = records.filter((r) => LIFECYCLE.some((k) => n.topic(k) === r.topic));
  lifecycle.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
  const newest = lifecycle.at(-1)?.value as DecodedOrder | undefined;

  let complete = phase1.complete;
  if (newest) {
    const itemKeys = (newest.item_info ?? []).map((i) => `${orderId}-${i.sku}`);
    const customerId = newest.customer_info?.customer_id;
    const second = (
      await Promise.all([
        ...itemKeys.map((k) => rangesFor(n.topic('orderItems'), k)),
        customerId ? rangesFor(n.topic('customers'), customerId) : Promise.resolve([]),
      ])
    ).flat();
    // Several items can hash to one partition: read each partition once.
    const unique = [...new Map(second.map((r) => [`${r.topic}/${r.partition}`, r])).values()];
    const wanted = new Set([...itemKeys, ...(customerId ? [customerId] : [])]);
    const phase2 = await readRanges(ctx.o.kafkaBootstrap, unique, {
      maxRecords: 500,
      timeoutMs: Math.max(1000, deadline - Date.now()),
      keep: (r) => r.key !== null && wanted.has(r.key.toString()),
    });
    complete &&= phase2.complete;
    const split = await decodeRecords(ctx.serde, schemas, phase2.records);
    // A customer's record belongs to this order when this order made it (last_order_id).
    records.push(
      ...split.filter(
        (r) =>
          r.topic !== n.topic('customers') ||
          (r.value as { last_order_id?: string } | null)?.last_order_id === orderId,
      ),
    );
  }
  records.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0) || a.topic.localeCompare(b.topic));

  const steps: StageStep[] = lifecycle.map((r, i) => {
    const key = LIFECYCLE.find((k) => n.topic(k) === r.topic)!;
    const prev = i > 0 ? lifecycle[i - 1]!.timestamp : null;
    return {
      topic: r.topic,
      stage: STAGE_OF[key]!,
      writtenAt: r.timestampIso,
      sincePreviousMs: prev === null || r.timestamp === null ? null : r.timestamp - prev,
    };
  });

  const postgres: FollowResult['postgres'] = [];
  let postgresError: string | undefined;
  let postgresNote: string | undefined;
  try {
    postgres.push({
      table: 'orders',
      rows: await db.rows('select * from orders where order_id = $1', [orderId]),
    });
    postgres.push({
      table: 'order_items',
      rows: await db.rows('select * from order_items where order_id = $1 order by item_id', [orderId]),
    });
    postgres.push({
      table: 'customers',
      rows: await db.rows('select * from customers where last_order_id = $1', [orderId]),
    });
    for (const t of postgres)
      for (const row of t.rows)
        for (const [k, v] of Object.entries(row)) if (v instanceof Date) row[k] = showDate(v.getTime());
  } catch (error) {
    if ((error as { code?: unknown }).code === '42P01') {
      // No landing tables in this schema yet: nothing has landed, which is not an error.
      postgres.length = 0;
      postgresNote = 'no landing tables in this warehouse schema yet (npx orderflow warehouse migrate)';
    } else postgresError = (error as Error).message;
  }

  return {
    orderId,
    found: records.length > 0 || postgres.some((t) => t.rows.length > 0),
    records,
    steps,
    eventTimes: {
      ordered: newest?.order_date ?? null,
      paid: newest?.payment_info?.payment_date ?? null,
      shipped: newest?.shipping_info?.shipped_date ?? null,
      finished: newest?.shipping_info?.finished_date ?? null,
      failed: newest?.failure?.failed_at ?? null,
    },
    postgres,
    ...(postgresError ? { postgresError } : {}),
    ...(postgresNote ? { postgresNote } : {}),
    complete,
    readMs: Math.round(performance.now() - started),
  };
}
