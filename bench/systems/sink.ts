import { setTimeout as sleep } from 'node:timers/promises';
/**
 * The landing side: the JDBC sink connectors over pre-filled split topics, and their PostgreSQL
 * baselines (COPY and batched upsert of the same rows); the connector deployment the whole chain
 * reuses.
 */
import { describeError, OrderflowError } from '../../common/errors.ts';
import {
  ConnectClient,
  hasFailed,
  isRunning,
  waitForRunning,
  type ConnectorConfig,
} from '../../common/connect-client.ts';
import { APICURIO_CONVERTER } from '../../connect/settings.ts';
import { renderSinks } from '../../connect/sink-config.ts';
import { SINK_DLQ_TOPIC, topicName } from '../../schemas/topics.ts';
import { landedRows, type BenchInput } from '../input.ts';
import { createTopics, newTrace, noteCommit, produceAll } from '../kafka-io.ts';
import {
  connectWarehouse,
  copyRows,
  dropSchema,
  freshSchema,
  rowCounts,
  upsertRows,
} from '../postgres-io.ts';
import {
  outcomeOf,
  round3,
  schemaOf,
  timeoutFor,
  topicEnd,
  traceOutcome,
  type BenchContext,
  type SystemDef,
  topicSystem,
} from './system.ts';

const TABLE_KEYS = { orders: 'order_id', customers: 'customer_id', order_items: 'item_id' } as const;

export function pgBaseline(kind: 'copy' | 'upsert', sinkBatch: () => number): SystemDef {
  return {
    id: kind,
    kind: 'baseline',
    title:
      kind === 'copy'
        ? 'PostgreSQL COPY of the landing rows (psql)'
        : 'PostgreSQL INSERT ... ON CONFLICT, batches of the sink size',
    unit: 'rows/s',
    method:
      kind === 'copy'
        ? 'COPY FROM STDIN (CSV) through psql into a fresh schema’s landing tables (indexes and triggers in place): orders, customers (newest version each), order_items.'
        : 'Multi-row INSERT ... ON CONFLICT (key) DO UPDATE of the same rows, one statement per sink batch, through pg.',
    ordersPerRecord: (ctx) => ctx.sinkInput.orders / totalRows(ctx.sinkInput),
    async run(ctx, probe, run) {
      const schema = schemaOf(ctx, run);
      const rows = ctx.sinkInput.rows;
      await freshSchema(ctx.databaseUrl, schema, ctx.log);
      const client = await connectWarehouse(ctx.databaseUrl, schema);
      try {
        probe.begin();
        const perTable: Record<string, number> = {};
        const tables = [
          ['orders', rows.orders],
          ['customers', rows.customers],
          ['order_items', rows.orderItems],
        ] as const;
        for (const [table, tableRows] of tables) {
          perTable[`${table}Seconds`] = round3(
            kind === 'copy'
              ? await copyRows(ctx.databaseUrl, schema, table, tableRows)
              : await upsertRows(client, table, TABLE_KEYS[table], tableRows, sinkBatch()),
          );
        }
        const seconds = Object.values(perTable).reduce((a, b) => a + b, 0);
        probe.end();
        const counts = await rowCounts(client);
        const want = landedRows(ctx.sinkInput);
        const valid =
          counts.orders === want.orders &&
          counts.customers === want.customers &&
          counts.order_items === want.orderItems;
        const out = outcomeOf(
          totalRows(ctx.sinkInput),
          seconds,
          valid,
          valid ? undefined : `counts ${JSON.stringify(counts)}`,
        );
        out.extra = { ...perTable, customerRows: rows.customers.length };
        return out;
      } finally {
        await client.end();
        await dropSchema(ctx.databaseUrl, schema, ctx.log);
      }
    },
  };
}

export function totalRows(input: BenchInput): number {
  const r = landedRows(input);
  return r.orders + r.customers + r.orderItems;
}

/** Render the prefixed sink connectors for a run (bench overrides applied). */
export function sinkConnectors(ctx: BenchContext, prefix: string, schema: string): ConnectorConfig[] {
  const connectors = renderSinks({
    topicPrefix: prefix,
    warehouseSchema: schema,
    replicationFactor: 1,
    valueConverter: APICURIO_CONVERTER,
    registryUrl: ctx.registryUrl,
    converterRegistryUrl: '',
    databaseUrl: ctx.databaseUrl,
    jdbcUrl: '',
    jdbcUser: '',
    jdbcPassword: '',
  });
  return connectors.map((c) => ({ name: c.name, config: { ...c.config, ...ctx.sinkOverrides } }));
}

export async function deployConnectors(
  ctx: BenchContext,
  connectors: ConnectorConfig[],
): Promise<ConnectClient> {
  const client = new ConnectClient(ctx.connectUrl);
  for (const c of connectors) await client.put(c);
  const statuses = await waitForRunning(
    client,
    connectors.map((c) => c.name),
    90_000,
    500,
  );
  const bad = [...statuses].filter(([, s]) => !isRunning(s));
  if (bad.length > 0) {
    const failed = bad.filter(([, s]) => hasFailed(s));
    throw new OrderflowError(
      'ORDERFLOW_CONNECTOR_FAILED',
      `sink connector(s) not running: ${bad.map(([n]) => n).join(', ')}${failed.length ? ` (${failed.map(([, s]) => s?.tasks.find((t) => t.trace)?.trace?.split('\n')[0] ?? s?.connector.trace?.split('\n')[0]).join('; ')})` : ''}`,
    );
  }
  ctx.sinkConfig ??= connectors[0]?.config;
  return client;
}

export async function deleteConnectors(
  ctx: BenchContext,
  client: ConnectClient,
  connectors: ConnectorConfig[],
): Promise<void> {
  for (const c of connectors) {
    await client
      .delete(c.name)
      .catch((error: unknown) => ctx.log.warn({ err: describeError(error) }, 'connector delete failed'));
  }
}

/** Poll the landing tables until they hold `want` rows; the first/last-row trace. */
export async function followRows(
  ctx: BenchContext,
  schema: string,
  want: { orders: number; customers: number; orderItems: number },
  timeoutMs: number,
  pollMs: number,
): Promise<{ trace: ReturnType<typeof newTrace>; timedOut: boolean; counts: Record<string, number> }> {
  const client = await connectWarehouse(ctx.databaseUrl, schema);
  const trace = newTrace();
  const total = want.orders + want.customers + want.orderItems;
  let counts: Record<string, number> = {};
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const c = await rowCounts(client);
      const now = performance.now();
      counts = c;
      const sum = c.orders + c.customers + c.order_items;
      if (sum > trace.count) noteCommit(trace, sum - trace.count, now);
      if (c.orders >= want.orders && c.customers >= want.customers && c.order_items >= want.orderItems)
        return { trace, timedOut: false, counts };
      if (Date.now() > deadline) return { trace, timedOut: true, counts };
      if (trace.count > total) return { trace, timedOut: false, counts };
      await sleep(pollMs);
    }
  } finally {
    await client.end();
  }
}

export const sinkSystem = topicSystem(
  {
    id: 'sink',
    kind: 'system',
    title: 'JDBC sink alone (Kafka Connect, 3 connectors)',
    unit: 'rows/s',
    method:
      'The prefixed sink connectors (connect/sinks/*.json) over pre-filled split topics into a fresh migrated schema: first landed row to the last (counts polled every 250 ms), exact row counts.',
    ordersPerRecord: (ctx) => ctx.sinkInput.orders / totalRows(ctx.sinkInput),
  },
  async (ctx, probe, { run, prefix }) => {
    const schema = schemaOf(ctx, run);
    const input = ctx.sinkInput;
    const want = landedRows(input);
    const names = {
      orders: topicName('orders', prefix),
      customers: topicName('customers', prefix),
      items: topicName('orderItems', prefix),
    };
    await createTopics(ctx.kafka, [names.orders, names.customers, names.items, prefix + SINK_DLQ_TOPIC]);
    await produceAll(ctx.kafka, names.orders, input.split.orders);
    await produceAll(ctx.kafka, names.customers, input.split.customers);
    await produceAll(ctx.kafka, names.items, input.split.orderItems);
    await freshSchema(ctx.databaseUrl, schema, ctx.log);
    const connectors = sinkConnectors(ctx, prefix, schema);
    const client = new ConnectClient(ctx.connectUrl);
    try {
      probe.begin();
      const deployed = performance.now();
      await deployConnectors(ctx, connectors);
      const r = await followRows(ctx, schema, want, timeoutFor(totalRows(input), 100), 250);
      probe.end();
      const total = totalRows(input);
      const out = traceOutcome(r.trace, total, total, r.timedOut);
      const exact =
        r.counts.orders === want.orders &&
        r.counts.customers === want.customers &&
        r.counts.order_items === want.orderItems;
      if (!exact) {
        out.valid = false;
        out.note = `landed ${JSON.stringify(r.counts)}, expected ${JSON.stringify(want)}`;
      }
      const dlq = await topicEnd(ctx, prefix + SINK_DLQ_TOPIC);
      if (dlq > 0) {
        out.valid = false;
        out.note = `${out.note ?? ''} ${dlq} records in the sink DLQ`.trim();
      }
      out.extra = { secondsFromDeploy: round3(((r.trace.lastAt ?? 0) - deployed) / 1000) };
      return out;
    } finally {
      await deleteConnectors(ctx, client, connectors);
      await dropSchema(ctx.databaseUrl, schema, ctx.log);
    }
  },
);
