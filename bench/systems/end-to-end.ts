/** The whole chain, generator to PostgreSQL, on fresh topics and a fresh schema. */
import type { ConnectorConfig } from '../../common/connect-client.ts';
import { ensureTopics } from '../../stack/topics.ts';
import { startSplitterProcess, stopService, type ServiceProcess } from '../children.ts';
import { benchOrders } from '../input.ts';
import { freshSchema, dropSchema } from '../postgres-io.ts';
import { deleteConnectors, deployConnectors, followRows, sinkConnectors } from './sink.ts';
import { startStageInstances } from './stages.ts';
import {
  openOrderSink,
  outcomeOf,
  schemaOf,
  timeoutFor,
  type BenchContext,
  topicSystem,
  writeOrders,
} from './system.ts';

/**
 * The whole chain's ground for one run: every topic of `prefix` (as `orderflow topics` makes them),
 * a fresh warehouse schema, and the sink connectors to deploy into it.
 */
export async function prepareChain(
  ctx: BenchContext,
  prefix: string,
  schema: string,
): Promise<ConnectorConfig[]> {
  await ensureTopics({
    bootstrap: ctx.kafka.bootstrap,
    registryUrl: ctx.registryUrl,
    prefix,
    partitions: ctx.kafka.partitions,
    replicationFactor: 1,
    log: ctx.log,
  });
  await freshSchema(ctx.databaseUrl, schema, ctx.log);
  return sinkConnectors(ctx, prefix, schema);
}

export const endToEnd = topicSystem(
  {
    id: 'end-to-end',
    kind: 'system',
    title: 'whole chain: generator -> 3 stages -> splitter -> sink -> PostgreSQL',
    method:
      'Fresh topics and schema; the three stages and the splitter as child processes, the sink connectors deployed, then the in-process generator: first send to the last landed row (counts polled every 500 ms); valid only with exactly N distinct orders in PostgreSQL.',
  },
  async (ctx, probe, { run, prefix }) => {
    const schema = schemaOf(ctx, run);
    const count = ctx.e2eOrders;
    // Rows expected in PostgreSQL: from the same seeded orders through the same pure logic.
    const want = e2eRows(ctx, count);
    const connectors = await prepareChain(ctx, prefix, schema);
    const client = await deployConnectors(ctx, connectors);
    const services: ServiceProcess[] = [];
    try {
      for (const stage of ['payment', 'shipping', 'delivery'] as const) {
        await startStageInstances(ctx, stage, prefix, run, probe, services);
      }
      const splitter = await startSplitterProcess({ prefix, instance: run, batchSize: ctx.batchSize });
      services.push(splitter);
      probe.watch('splitter', splitter.pid);
      const sink = await openOrderSink(ctx, prefix);
      let seconds = Number.NaN;
      let r: Awaited<ReturnType<typeof followRows>>;
      try {
        probe.begin();
        const started = performance.now();
        const polling = followRows(ctx, schema, want, timeoutFor(count, 50), 500);
        await writeOrders(sink, benchOrders(ctx.seed, count));
        r = await polling;
        seconds = ((r.trace.lastAt ?? started) - started) / 1000;
        probe.end();
      } finally {
        await sink.close();
      }
      const exact =
        !r.timedOut &&
        r.counts.orders === want.orders &&
        r.counts.customers === want.customers &&
        r.counts.order_items === want.orderItems;
      const stalled = services.filter((s) => s.child.exitCode !== null).map((s) => s.name);
      return outcomeOf(
        count,
        seconds,
        exact,
        exact
          ? undefined
          : `landed ${JSON.stringify(r.counts)}, expected ${JSON.stringify(want)}${stalled.length ? `; exited: ${stalled.join(', ')}` : ''}`,
      );
    } finally {
      for (const s of services) await stopService(s);
      await deleteConnectors(ctx, client, connectors);
      await dropSchema(ctx.databaseUrl, schema, ctx.log);
    }
  },
);

const e2eRowCache = new Map<string, { orders: number; customers: number; orderItems: number }>();

/** Rows the landing tables hold after `count` orders went through the whole chain. */
export function e2eRows(
  ctx: BenchContext,
  count: number,
): { orders: number; customers: number; orderItems: number } {
  const key = `${ctx.seed}:${count}`;
  const cached = e2eRowCache.get(key);
  if (cached) return cached;
  const customers = new Set<string>();
  let items = 0;
  let orders = 0;
  for (const order of benchOrders(ctx.seed, count)) {
    orders++;
    items += order.item_info.length;
    customers.add(order.customer_info.customer_id);
  }
  const rows = { orders, customers: customers.size, orderItems: items };
  e2eRowCache.set(key, rows);
  return rows;
}
