/**
 * Exact counts for the fault tests: for each split topic, records against distinct keys (a
 * duplicate shows as records > distinct), the sink's dead-letter topic, and the rows in PostgreSQL,
 * compared with what the orders sent must give; and whether the landing's sink connectors run.
 */
import { ConnectClient, isRunning } from '../../../common/connect-client.ts';
import { renderSinks } from '../../../connect/sink-config.ts';
import { SINK_DLQ_TOPIC, topicName } from '../../../schemas/topics.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { connectWarehouse } from '../../../common/database.ts';
import { conn, log } from '../helpers.ts';
import { readTopics, type TestRecord } from '../processors/pipeline.ts';
import { eventually, type LandingPipeline } from '../landing/landing-fixture.ts';

export interface Expected {
  orders: number;
  customers: number;
  lines: number;
}

export function expected(batches: { finished: Order[]; failed: Order[] }[]): Expected {
  const all = batches.flatMap((b) => [...b.finished, ...b.failed]);
  return {
    orders: new Set(all.map((o) => o.order_id)).size,
    customers: new Set(all.map((o) => o.customer_info.customer_id)).size,
    lines: all.reduce((n, o) => n + o.item_info.length, 0),
  };
}

export interface Counts {
  topics: Record<'orders' | 'customers' | 'order_items', { records: number; distinct: number }>;
  sinkDlq: number;
  rows: Record<'orders' | 'customers' | 'order_items', number>;
}

/** Row counts over a fresh connection (the fixture's own one does not survive a PostgreSQL restart). */
export async function rowCounts(p: LandingPipeline): Promise<Counts['rows']> {
  const db = await connectWarehouse(conn.databaseUrl, p.schema);
  try {
    const n = async (table: string) =>
      Number((await db.query<{ n: string }>(`select count(*)::text as n from ${table}`)).rows[0]!.n);
    return {
      orders: await n('orders'),
      customers: await n('customers'),
      order_items: await n('order_items'),
    };
  } finally {
    await db.end().catch(() => undefined);
  }
}

/** Wait (bounded) until PostgreSQL holds every expected row, then count everything exactly. */
export async function landedCounts(p: LandingPipeline, e: Expected, timeoutMs: number): Promise<Counts> {
  let rows = await rowCounts(p);
  await eventually(
    async () => {
      rows = await rowCounts(p).catch(() => rows);
      return rows.orders >= e.orders && rows.order_items >= e.lines && rows.customers >= e.customers;
    },
    timeoutMs,
    1000,
  );
  const names = { orders: 'orders', customers: 'customers', order_items: 'orderItems' } as const;
  const topics = Object.values(names).map((k) => topicName(k, p.prefix));
  const dlq = `${p.prefix}${SINK_DLQ_TOPIC}`;
  const read = await readTopics([...topics, dlq], () => true, { timeoutMs: 60_000, settleMs: 2000 });
  // orders and order_items hold each key once; customers once per order of that customer.
  const count = (topic: string, keyOnce = true) => {
    const list = read.get(topic) ?? [];
    const distinct = new Set(list.map((r) => r.key)).size;
    if (keyOnce && distinct < list.length) logDuplicates(topic, list);
    return { records: list.length, distinct };
  };
  return {
    topics: {
      orders: count(topicName('orders', p.prefix)),
      customers: count(topicName('customers', p.prefix), false),
      order_items: count(topicName('orderItems', p.prefix)),
    },
    sinkDlq: read.get(dlq)?.length ?? 0,
    rows: await rowCounts(p),
  };
}

/** What a fault test must end with: every order once in each topic and in PostgreSQL, nothing dead. */
export function exactlyOnce(e: Expected): Counts {
  return {
    topics: {
      orders: { records: e.orders, distinct: e.orders },
      // One customers record per order (the splitter emits the customer with each order).
      customers: { records: e.orders, distinct: e.customers },
      order_items: { records: e.lines, distinct: e.lines },
    },
    sinkDlq: 0,
    rows: { orders: e.orders, customers: e.customers, order_items: e.lines },
  };
}

/**
 * A key held twice in a topic: where each copy is (partition, offset, timestamp), so that a failure
 * says whether the copies are one batch written twice (adjacent offsets, one timestamp) or a record
 * processed twice (two batches).
 */
function logDuplicates(topic: string, list: TestRecord[]): void {
  const byKey = new Map<string, TestRecord[]>();
  for (const r of list) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  const twice = [...byKey.entries()].filter(([, copies]) => copies.length > 1);
  log.error(
    {
      topic,
      keys: twice.length,
      first: twice.slice(0, 5).map(([key, copies]) => ({
        key,
        copies: copies.map((c) => `${c.partition}:${c.offset}@${c.timestamp}`),
      })),
    },
    'a key is held more than once in a split topic',
  );
}

/** Whether every sink connector of the landing is RUNNING (none failed or paused by a fault). */
export async function sinksRunning(p: LandingPipeline): Promise<boolean> {
  const client = new ConnectClient(conn.connectUrl);
  const statuses = await Promise.all(renderSinks(p.sinkValues).map((c) => client.status(c.name)));
  return statuses.every(isRunning);
}
