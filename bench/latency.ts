import { setTimeout as sleep } from 'node:timers/promises';
/**
 * Latency under a fixed offered load: the whole chain as in the end-to-end runs, with the generator
 * paced at a fraction of the measured end-to-end maximum. Per order: generation (handed to the
 * producer) to committed in finished_orders/failed_orders (a read_committed consumer in this
 * process), and generation to present in PostgreSQL: the run's orders table gets a column that
 * PostgreSQL fills with clock_timestamp() as the sink inserts each row, so the figure is the
 * database's own arrival time, whatever the poll interval (the poll only collects the stamps).
 * Every time is the wall clock of this machine (performance.timeOrigin + performance.now()).
 */
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { describeError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { topicName } from '../schemas/topics.ts';
import { startSplitterProcess, startStage, stopService, type ServiceProcess } from './children.ts';
import { benchOrders } from './input.ts';
import { bounded, deletePrefixTopics, kafkaClient, STAGE_CONSUMER, waitFor } from './kafka-io.ts';
import { connectWarehouse, dropSchema } from './postgres-io.ts';
import { latencySummary, type LatencySummary } from './stats.ts';
import type { Connections } from './invocation.ts';
import { makeContext, type BenchOptions } from './suite.ts';
import {
  deleteConnectors,
  deployConnectors,
  openOrderSink,
  prefixOf,
  schemaOf,
  prepareChain,
  type BenchContext,
} from './systems/index.ts';
import type { LatencyRun } from './types.ts';

/** How often the landed stamps are collected; it bounds nothing: the stamps are PostgreSQL's. */
const PG_POLL_MS = 500;
const wallClock = () => performance.timeOrigin + performance.now();
/** Seconds of offered load per latency run. */
const LOAD_SECONDS = 30;

export async function runLatency(
  conn: Connections,
  o: BenchOptions,
  maxRate: number,
  log: Logger,
  print: (line: string) => void,
): Promise<LatencyRun[]> {
  const ctx = await makeContext(
    conn,
    { ...o, orders: Math.min(o.orders, 1000), sinkOrders: Math.min(o.sinkOrders, 1000) },
    log,
    () => undefined,
  );
  const runs: LatencyRun[] = [];
  for (const fraction of [0.5, 0.8]) {
    const rate = Math.max(1, Math.round(maxRate * fraction));
    const orders = Math.max(100, Math.min(o.e2eOrders, Math.round(rate * LOAD_SECONDS)));
    let run: LatencyRun;
    try {
      run = await latencyRun(ctx, fraction, rate, orders);
    } catch (error) {
      run = {
        fraction,
        rate,
        orders,
        generationToFinished: null,
        generationToPostgres: null,
        postgresPollMs: PG_POLL_MS,
        valid: false,
        note: `failed: ${describeError(error).slice(0, 400)}`,
      };
    }
    runs.push(run);
    const text = (l: LatencySummary | null | undefined) =>
      l ? `${l.p50.toFixed(0)}/${l.p95.toFixed(0)}/${l.p99.toFixed(0)} ms` : 'n/a';
    print(
      `latency ${Math.round(fraction * 100)}% (${rate} orders/s, ${orders} orders), p50/p95/p99: finished ${text(run.generationToFinished)}; ` +
        `split ${text(run.generationToSplit)}; PostgreSQL ${text(run.generationToPostgres)}${run.valid ? '' : ` INVALID (${run.note ?? ''})`}`,
    );
  }
  return runs;
}

async function latencyRun(
  ctx: BenchContext,
  fraction: number,
  rate: number,
  orders: number,
): Promise<LatencyRun> {
  const label = `lat-${Math.round(fraction * 100)}`;
  const prefix = prefixOf(ctx, label);
  const schema = schemaOf(ctx, label);
  const connectors = await prepareChain(ctx, prefix, schema);
  const stamp = await connectWarehouse(ctx.databaseUrl, schema);
  try {
    await stamp.query(
      'alter table orders add column bench_landed_at timestamptz not null default clock_timestamp()',
    );
  } finally {
    await stamp.end();
  }
  const services: ServiceProcess[] = [];
  const generatedAt = new Map<string, number>();
  const finishedAt = new Map<string, number>();
  const splitAt = new Map<string, number>();
  const landedAt = new Map<string, number>();
  let duplicates = 0;
  const consumer = kafkaClient(ctx.kafka, 'orderflow-bench-latency').consumer({
    ...STAGE_CONSUMER,
    'group.id': `${prefix}latency`,
    'js.consumer.max.batch.size': 1000,
    'fetch.wait.max.ms': 10,
  } as KafkaJS.ConsumerConstructorConfig);
  const client = await deployConnectors(ctx, connectors);
  try {
    for (const stage of ['payment', 'shipping', 'delivery'] as const) {
      services.push(
        await startStage(stage, { prefix, instance: `${label}-0`, seed: ctx.seed, batchSize: ctx.batchSize }),
      );
    }
    services.push(await startSplitterProcess({ prefix, instance: label, batchSize: ctx.batchSize }));
    await consumer.connect();
    const splitTopic = topicName('orders', prefix);
    await consumer.subscribe({
      topics: [topicName('finished', prefix), topicName('failed', prefix), splitTopic],
    });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const now = wallClock();
        const seen = batch.topic === splitTopic ? splitAt : finishedAt;
        for (const m of batch.messages) {
          const id = m.key?.toString() ?? '';
          if (seen.has(id)) duplicates++;
          else seen.set(id, now);
        }
      },
    });
    const pg = await connectWarehouse(ctx.databaseUrl, schema);
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const { rows } = await pg.query<{ order_id: string; at: number }>(
          'select order_id, extract(epoch from bench_landed_at)::float8 * 1000 as at from orders',
        );
        for (const r of rows) if (!landedAt.has(r.order_id)) landedAt.set(r.order_id, Number(r.at));
        await sleep(PG_POLL_MS);
      }
    })();
    // Batches of one order: the pipeline's latency, without the generator's own batching linger.
    const sink = await openOrderSink(ctx, prefix, { maxInFlight: 1000, batchSize: 1 });
    try {
      const started = performance.now();
      let n = 0;
      for (const order of benchOrders(ctx.seed, orders)) {
        const due = started + (n / rate) * 1000;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
        generatedAt.set(order.order_id, wallClock());
        const pending = sink.write(order);
        if (pending) await pending;
        n++;
      }
      await sink.flush();
    } finally {
      await sink.close();
    }
    await waitFor(() => finishedAt.size >= orders && landedAt.size >= orders, 120_000, 100);
    polling = false;
    await poller;
    await pg.end();
    const toFinished = [...generatedAt]
      .filter(([id]) => finishedAt.has(id))
      .map(([id, t]) => finishedAt.get(id)! - t);
    const toSplit = [...generatedAt].filter(([id]) => splitAt.has(id)).map(([id, t]) => splitAt.get(id)! - t);
    const toPg = [...generatedAt].filter(([id]) => landedAt.has(id)).map(([id, t]) => landedAt.get(id)! - t);
    const valid = finishedAt.size === orders && landedAt.size === orders && duplicates === 0;
    return {
      fraction,
      rate,
      orders,
      generationToFinished: toFinished.length > 0 ? latencySummary(toFinished) : null,
      generationToSplit: toSplit.length > 0 ? latencySummary(toSplit) : null,
      generationToPostgres: toPg.length > 0 ? latencySummary(toPg) : null,
      postgresPollMs: PG_POLL_MS,
      landedClock: 'database',
      valid,
      ...(valid
        ? {}
        : {
            note: `${finishedAt.size} finished/failed, ${landedAt.size} landed, ${duplicates} duplicates of ${orders}`,
          }),
    };
  } finally {
    await bounded(consumer.disconnect(), 30_000).catch(() => undefined);
    for (const s of services) await stopService(s);
    await deleteConnectors(ctx, client, connectors);
    await dropSchema(ctx.databaseUrl, schema, ctx.log);
    await deletePrefixTopics(ctx.kafka, prefix);
  }
}
