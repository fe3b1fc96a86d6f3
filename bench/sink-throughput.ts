/**
 * Sink throughput on the local stack: rows per second the three JDBC sink connectors write into
 * PostgreSQL when their topics are already full (the splitter has finished), so the figure is the
 * sink's alone. Method: fill the split topics for N seeded orders through the splitter, stop it,
 * deploy the connectors, and time (a) from deploy to the last row and (b) from the first landed row
 * to the last (connector start-up excluded), polling the row counts every 200 ms.
 *
 *   npx tsx bench/sink-throughput.ts [orders=4000] [runs=3]
 */
import { loadSettings } from '../common/config.ts';
import { ConnectClient } from '../common/connect-client.ts';
import { createLogger } from '../common/logger.ts';
import { connectionSettings } from '../common/settings.ts';
import { dlqTopic, SINK_DLQ_TOPIC, topicName } from '../schemas/topics.ts';
import { makeConfig } from '../simulation/config.ts';
import { generateOrders } from '../simulation/model/generator.ts';
import { startSplitter } from '../splitter/service.ts';
import { buildInput, landedRows, type BenchInput } from './input.ts';
import { createTopics, produceAll, waitFor } from './kafka-io.ts';
import { dropSchema, freshSchema } from './postgres-io.ts';
import { loadConnections } from './invocation.ts';
import { singleInputContext } from './suite.ts';
import { deleteConnectors, deployConnectors, followRows, sinkConnectors } from './systems/sink.ts';
import { prefixOf, schemaOf, withTopics, type BenchContext } from './systems/system.ts';

const SEED = 5;
/** The orders' span: the seeded orders the figures in connect/README.md were measured on. */
const FROM = Date.UTC(2025, 0, 1);
const UNTIL = Date.UTC(2035, 0, 1);

/** Fill `prefix`'s split topics through the splitter (in process) from finished and failed orders, then stop it. */
async function fillSplitTopics(ctx: BenchContext, input: BenchInput, prefix: string): Promise<void> {
  const source = [topicName('finished', prefix), topicName('failed', prefix)];
  const split = (['orders', 'customers', 'orderItems'] as const).map((t) => topicName(t, prefix));
  await createTopics(ctx.kafka, [...source, ...source.map(dlqTopic), ...split, prefix + SINK_DLQ_TOPIC]);
  await produceAll(ctx.kafka, source[0]!, input.finished);
  await produceAll(ctx.kafka, source[1]!, input.failed);
  const splitter = await startSplitter({
    kafkaBootstrap: ctx.kafka.bootstrap,
    registryUrl: ctx.registryUrl,
    topicPrefix: prefix,
    instanceId: `${prefix}splitter`,
    batchSize: 500,
    log: ctx.log,
  });
  const expected = input.finished.length + input.failed.length;
  const done = await waitFor(() => splitter.processedRecords >= expected, 600_000, 100);
  await splitter.stop();
  if (!done) throw new Error(`the splitter did ${splitter.processedRecords} of ${expected} orders`);
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 4000);
  const runs = Number(process.argv[3] ?? 3);
  const log = createLogger('bench-sink', process.env.ORDERFLOW_LOG_LEVEL ?? 'warn');
  const conn = loadConnections();
  const { partitions } = loadSettings({ partitions: connectionSettings.partitions });
  // Generator orders through the stages' own handlers: where each one ends (finished or failed).
  const orders = generateOrders(makeConfig({ seed: SEED, count: n, from: FROM, until: UNTIL }), {
    now: () => UNTIL,
  });
  const input = await buildInput(conn.registryUrl, SEED, n, true, orders);
  const ctx = singleInputContext(conn, { seed: SEED, batchSize: 500, partitions }, input, log);
  const want = landedRows(input);
  const rows = want.orders + want.customers + want.orderItems;
  const results: { total: number; steady: number }[] = [];
  for (let run = 0; run < runs; run++) {
    const prefix = prefixOf(ctx, `sink${run + 1}`);
    const schema = schemaOf(ctx, `sink${run + 1}`);
    const connectors = sinkConnectors(ctx, prefix, schema);
    await withTopics(ctx, prefix, async () => {
      await freshSchema(ctx.databaseUrl, schema, log);
      try {
        await fillSplitTopics(ctx, input, prefix);
        const client = new ConnectClient(ctx.connectUrl);
        const t0 = performance.now();
        try {
          await deployConnectors(ctx, connectors);
          const r = await followRows(ctx, schema, want, 600_000, 200);
          const landed = r.counts.orders! + r.counts.customers! + r.counts.order_items!;
          if (r.timedOut) throw new Error(`only ${landed} of ${rows} rows landed`);
          const first = r.trace.firstAt!;
          const t1 = r.trace.lastAt!;
          results.push({ total: rows / ((t1 - t0) / 1000), steady: rows / ((t1 - first) / 1000) });
          console.log(
            `run ${run + 1}: ${rows} rows (${n} orders, ${want.customers} customers, ${want.orderItems} lines): deploy->last ${(t1 - t0) / 1000}s = ${Math.round(results.at(-1)!.total)} rows/s; first->last ${(t1 - first) / 1000}s = ${Math.round(results.at(-1)!.steady)} rows/s`,
          );
        } finally {
          await deleteConnectors(ctx, client, connectors);
        }
      } finally {
        await dropSchema(ctx.databaseUrl, schema, log);
      }
    });
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const steady = results.map((r) => r.steady);
  console.log(
    `median steady ${Math.round(med(steady))} rows/s (min ${Math.round(Math.min(...steady))}, max ${Math.round(Math.max(...steady))}); median incl. start-up ${Math.round(med(results.map((r) => r.total)))} rows/s`,
  );
  process.exit(0);
}

void main();
