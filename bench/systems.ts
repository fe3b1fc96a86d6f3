/**
 * Everything the benchmark measures, baselines and systems under test, each as one function that
 * performs one run on its own topics (unique prefix), its own consumer groups and its own
 * PostgreSQL schema, and returns the run's sample. Set-up and clean-up are not timed; every run
 * ends with an exact count check.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describeError, OrderflowError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { AvroSerde, readSchema } from '../common/serde.ts';
import { ConnectClient, hasFailed, isRunning, waitForRunning } from '../connect/connect-client.ts';
import { APICURIO_CONVERTER } from '../connect/settings.ts';
import { renderSinks, type ConnectorConfig } from '../connect/sink-config.ts';
import { KafkaOrderSink } from '../producer/kafka-sink.ts';
import { STAGES } from '../processors/stages.ts';
import { dlqTopic, SINK_DLQ_TOPIC, topicName } from '../schemas/topics.ts';
import type { Order, Stage } from '../schemas/types.generated.ts';
import { ensureTopics } from '../stack/topics.ts';
import {
  scrape,
  startSplitterProcess,
  startStage,
  stopService,
  type ServiceMetrics,
  type ServiceProcess,
} from './children.ts';
import { benchOrders, landedRows, type BenchInput, type Message } from './input.ts';
import {
  consumeAll,
  createTopics,
  deletePrefixTopics,
  kafkaClient,
  newTrace,
  noteCommit,
  produceAll,
  type CommitTrace,
  type KafkaContext,
  type PassThroughOptions,
} from './kafka-io.ts';
import { connectWarehouse, copyRows, dropSchema, freshSchema, rowCounts, upsertRows } from './postgres-io.ts';
import { LoopDelay, stackProcesses, UsageWindow, type WatchedProcess } from './resources.ts';
import { rateFromCommits } from './stats.ts';
import type { RunSample, SystemKind } from './types.ts';

export interface BenchContext {
  kafka: KafkaContext;
  registryUrl: string;
  connectUrl: string;
  databaseUrl: string;
  log: Logger;
  /** Short id of this invocation, part of every prefix, group and schema. */
  runId: string;
  seed: number;
  /** Records per consumed batch and transaction of the stages and pass-through. */
  batchSize: number;
  /** Stage instances per stage (the instances sweep). */
  instances: number;
  /** Input of the produce-side systems (raw produce, codec, generator): generator orders only. */
  produceInput: BenchInput;
  /** Input of the consuming systems (consume, pass-through, stages, splitter), all forms. */
  input: BenchInput;
  /** Input for the sink and the COPY/upsert baselines. */
  sinkInput: BenchInput;
  /** Orders of one end-to-end run. */
  e2eOrders: number;
  /** Sink connector settings that differ from connect/sinks/*.json (e.g. batch.size). */
  sinkOverrides: Record<string, string>;
  /** Sink settings as rendered (filled in by the sink runs, for the report). */
  sinkConfig?: Record<string, string>;
}

export interface RunOutcome {
  records: number;
  /** Seconds of the measured interval (NaN when the run did not complete). */
  seconds: number;
  rate: number;
  valid: boolean;
  note?: string;
  eventLoopP99Ms?: number;
  extra?: Record<string, number | string>;
}

export interface SystemDef {
  id: string;
  kind: SystemKind;
  title: string;
  unit: string;
  method: string;
  /** Orders per counted record (1 for orders; orders/rows for the database systems). */
  ordersPerRecord: (ctx: BenchContext) => number;
  run: (ctx: BenchContext, probe: Probe, run: string) => Promise<RunOutcome>;
}

/** The measurement window of one run: CPU of the watched processes, load, event-loop delay. */
export class Probe {
  private readonly extra: WatchedProcess[] = [];
  private readonly window: UsageWindow;
  private readonly loop = new LoopDelay();
  private result: Pick<RunSample, 'usage' | 'load'> | undefined;
  private loopP99: number | undefined;

  constructor() {
    this.window = new UsageWindow(() => [
      { name: 'bench', pid: process.pid },
      ...this.extra,
      ...stackProcesses(),
    ]);
  }

  watch(name: string, pid: number): void {
    this.extra.push({ name, pid });
  }

  begin(): void {
    this.window.start();
    this.loop.start();
  }

  end(): void {
    if (this.result) return;
    this.loopP99 = this.loop.stop();
    this.result = this.window.stop();
  }

  sample(outcome: RunOutcome): RunSample {
    this.end();
    const { usage, load } = this.result!;
    return {
      records: outcome.records,
      seconds: round3(outcome.seconds),
      rate: Math.round(outcome.rate),
      valid: outcome.valid,
      ...(outcome.note ? { note: outcome.note } : {}),
      load,
      usage,
      ...(outcome.eventLoopP99Ms !== undefined
        ? { eventLoopP99Ms: outcome.eventLoopP99Ms }
        : { eventLoopP99Ms: this.loopP99 }),
      ...(outcome.extra ? { extra: outcome.extra } : {}),
    };
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export const prefixOf = (ctx: BenchContext, run: string): string => `bench_${ctx.runId}_${run}_`;
export const schemaOf = (ctx: BenchContext, run: string): string =>
  `bench_${ctx.runId}_${run}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');

/** Sum of the high watermarks of a topic: the exact count of a non-transactional topic. */
async function topicEnd(ctx: BenchContext, topic: string): Promise<number> {
  const admin = kafkaClient(ctx.kafka, 'orderflow-bench-admin').admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

async function withTopics<T>(ctx: BenchContext, prefix: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    await deletePrefixTopics(ctx.kafka, prefix);
  }
}

function outcomeOf(records: number, seconds: number, valid: boolean, note?: string): RunOutcome {
  return {
    records,
    seconds,
    rate: seconds > 0 ? records / seconds : Number.NaN,
    valid,
    ...(note ? { note } : {}),
  };
}

/** Timeouts scale with the work (the machine is shared and slow runs must still end). */
function timeoutFor(records: number, minRate: number, floorMs = 60_000): number {
  return floorMs + Math.ceil((records / minRate) * 1000);
}

// ---------------------------------------------------------------------------------------------
// Baselines
// ---------------------------------------------------------------------------------------------

const rawProduce: SystemDef = {
  id: 'raw-produce',
  kind: 'baseline',
  title: 'raw produce (pre-encoded orders)',
  unit: 'orders/s',
  method:
    "The generator's producer settings and batching (500 per send, 32 sends in flight) on the same Avro bytes, no generation: first send to last acknowledgement.",
  ordersPerRecord: () => 1,
  async run(ctx, probe, run) {
    const prefix = prefixOf(ctx, run);
    const topic = topicName('unpaid', prefix);
    const messages = ctx.produceInput.stages.payment.input;
    return withTopics(ctx, prefix, async () => {
      await createTopics(ctx.kafka, [topic]);
      probe.begin();
      const seconds = await produceAll(ctx.kafka, topic, messages);
      probe.end();
      const end = await topicEnd(ctx, topic);
      return outcomeOf(
        messages.length,
        seconds,
        end === messages.length,
        end === messages.length ? undefined : `${end} records in the topic`,
      );
    });
  },
};

const rawConsume: SystemDef = {
  id: 'raw-consume',
  kind: 'baseline',
  title: 'raw consume (read_committed, batches of the stage size)',
  unit: 'orders/s',
  method: "The stages' consumer settings, eachBatch with nothing done per record: first batch to last batch.",
  ordersPerRecord: () => 1,
  async run(ctx, probe, run) {
    const prefix = prefixOf(ctx, run);
    const topic = topicName('unpaid', prefix);
    const messages = ctx.input.stages.payment.input;
    return withTopics(ctx, prefix, async () => {
      await createTopics(ctx.kafka, [topic]);
      await produceAll(ctx.kafka, topic, messages);
      probe.begin();
      const r = await consumeAll(ctx.kafka, [topic], messages.length, {
        group: `${prefix}consume`,
        batchSize: ctx.batchSize,
        timeoutMs: timeoutFor(messages.length, 1000),
      });
      probe.end();
      return traceOutcome(r.trace, messages.length, r.distinct, r.timedOut);
    });
  },
};

function traceOutcome(
  trace: ReturnType<typeof newTrace>,
  expected: number,
  distinct: number,
  timedOut: boolean,
): RunOutcome {
  const rate = rateFromCommits(trace.count, trace.firstCount, trace.firstAt ?? 0, trace.lastAt ?? 0);
  const valid = !timedOut && trace.count === expected && distinct === expected;
  const note = timedOut
    ? `timed out at ${trace.count}/${expected}`
    : valid
      ? undefined
      : `${trace.count} records, ${distinct} distinct, expected ${expected}`;
  return {
    records: expected,
    seconds: ((trace.lastAt ?? 0) - (trace.firstAt ?? 0)) / 1000,
    rate,
    valid,
    ...(note ? { note } : {}),
  };
}

const PASSTHROUGH_MAIN = fileURLToPath(new URL('./passthrough-process.ts', import.meta.url));
const SPLITTER_MAIN = fileURLToPath(new URL('./splitter-process.ts', import.meta.url));

/**
 * Run a benchmark helper process (pass-through, splitter): the probe watches its CPU and opens its
 * window once the process says "ready"; returns its final JSON line.
 */
/**
 * Start `ctx.instances` processes of one stage (one consumer group), each added to `services` as soon
 * as it runs (so the caller's clean-up stops it even if a later one fails), and watched by the probe.
 */
async function startStageInstances(
  ctx: BenchContext,
  stage: Stage,
  prefix: string,
  run: string,
  probe: Probe,
  services: ServiceProcess[],
): Promise<void> {
  for (let i = 0; i < ctx.instances; i++) {
    const s = await startStage(stage, {
      prefix,
      instance: `${run}-${i}`,
      seed: ctx.seed,
      batchSize: ctx.batchSize,
    });
    services.push(s);
    probe.watch(`${stage} #${i + 1}`, s.pid);
  }
}

async function helperProcess<T>(main: string, args: object, name: string, probe: Probe): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', main, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined)
    throw new OrderflowError('ORDERFLOW_USAGE', `could not start the ${name} process`);
  probe.watch(name, child.pid);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let final: string | undefined;
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line === 'ready') probe.begin();
    else if (line.startsWith('{')) {
      final = line;
      probe.end(); // before the process exits, while /proc still has its peak RSS
    }
  }
  probe.end();
  const code = await exited;
  const parsed = final ? (JSON.parse(final) as { ok: boolean; error?: string }) : undefined;
  if (!parsed?.ok) {
    throw new OrderflowError(
      'ORDERFLOW_USAGE',
      `${name} process exited ${code}: ${parsed?.error ?? stderr.slice(-800)}`,
    );
  }
  return parsed as unknown as T;
}

/** The raw pass-through in its own process. */
function passThroughProcess(
  ctx: BenchContext,
  o: Omit<PassThroughOptions, 'onReady'>,
  probe: Probe,
): Promise<{ trace: CommitTrace; timedOut: boolean; transactions: number; transactionSeconds: number }> {
  return helperProcess(
    PASSTHROUGH_MAIN,
    { ...o, bootstrap: ctx.kafka.bootstrap, partitions: ctx.kafka.partitions },
    'pass-through',
    probe,
  );
}

function passThroughSystem(transactional: boolean): SystemDef {
  return {
    id: transactional ? 'passthrough-tx' : 'passthrough',
    kind: 'baseline',
    title: transactional
      ? 'raw pass-through, one transaction per batch (one stage’s ceiling)'
      : 'raw pass-through, no transactions (idempotent, commit offsets after send)',
    unit: 'orders/s',
    method:
      'In a process of its own (like a stage): consume unpaid orders and produce the unchanged bytes with the stage runtime’s consumer/producer settings, one partition batch at a time' +
      (transactional
        ? ', one transaction (send + sendOffsets + commit) per batch.'
        : ', send then commit offsets per batch.') +
      ' First commit to last commit.',
    ordersPerRecord: () => 1,
    async run(ctx, probe, run) {
      const prefix = prefixOf(ctx, run);
      const input = topicName('unpaid', prefix);
      const output = topicName('paid', prefix);
      const messages = ctx.input.stages.payment.input;
      return withTopics(ctx, prefix, async () => {
        await createTopics(ctx.kafka, [input, output]);
        await produceAll(ctx.kafka, input, messages);
        const r = await passThroughProcess(
          ctx,
          {
            input,
            output,
            expected: messages.length,
            transactional,
            batchSize: ctx.batchSize,
            group: `${prefix}pass`,
            timeoutMs: timeoutFor(messages.length, 500),
          },
          probe,
        );
        probe.end();
        const check = await consumeAll(ctx.kafka, [output], messages.length, {
          group: `${prefix}check`,
          settleMs: 1000,
          timeoutMs: 120_000,
        });
        const out = traceOutcome(r.trace, messages.length, messages.length, r.timedOut);
        out.extra = {
          transactions: r.transactions,
          recordsPerTransaction: r.transactions > 0 ? Math.round(messages.length / r.transactions) : 0,
          meanTransactionMs:
            r.transactions > 0 ? Math.round((r.transactionSeconds / r.transactions) * 10_000) / 10 : 0,
        };
        if (check.trace.count !== messages.length || check.distinct !== messages.length) {
          out.valid = false;
          out.note = `output holds ${check.trace.count} records (${check.distinct} distinct), expected ${messages.length}`;
        }
        return out;
      });
    },
  };
}

const codec: SystemDef = {
  id: 'codec',
  kind: 'baseline',
  title: 'Avro decode + encode in process',
  unit: 'orders/s',
  method:
    'Decode each pre-encoded order with the registry-resolved reader (common/serde.ts) and encode it again; one thread.',
  ordersPerRecord: () => 1,
  async run(ctx, probe) {
    const serde = new AvroSerde(ctx.registryUrl);
    const messages = ctx.produceInput.stages.payment.input;
    const decoder = serde.reader<Order>(readSchema('order.avsc'));
    const encoder = await serde.writer<Order>('orderflow_bench_order-value', readSchema('order.avsc'));
    await decoder.prepare(messages.slice(0, 1).map((m) => m.value));
    probe.begin();
    const started = performance.now();
    let bytes = 0;
    for (const m of messages) bytes += encoder.encode(decoder.decode(m.value)).length;
    const seconds = (performance.now() - started) / 1000;
    probe.end();
    const expectedBytes = messages.reduce((s, m) => s + m.value.length, 0);
    return outcomeOf(
      messages.length,
      seconds,
      bytes === expectedBytes,
      bytes === expectedBytes ? undefined : 'round trip changed sizes',
    );
  },
};

const TABLE_KEYS = { orders: 'order_id', customers: 'customer_id', order_items: 'item_id' } as const;

function pgBaseline(kind: 'copy' | 'upsert', sinkBatch: () => number): SystemDef {
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

// ---------------------------------------------------------------------------------------------
// Systems under test
// ---------------------------------------------------------------------------------------------

const generator: SystemDef = {
  id: 'generator',
  kind: 'system',
  title: 'generator (generate + encode + produce)',
  unit: 'orders/s',
  method:
    'The generation core and the generator’s Kafka sink (producer/kafka-sink.ts) in process, same seed and count: first order to last acknowledgement.',
  ordersPerRecord: () => 1,
  async run(ctx, probe, run) {
    const prefix = prefixOf(ctx, run);
    const topic = topicName('unpaid', prefix);
    const count = ctx.produceInput.orders;
    return withTopics(ctx, prefix, async () => {
      await createTopics(ctx.kafka, [topic]);
      const sink = await KafkaOrderSink.open({
        kafkaBootstrap: ctx.kafka.bootstrap,
        registryUrl: ctx.registryUrl,
        topicPrefix: prefix,
        retryBudgetMs: 30_000,
        maxInFlight: 32,
        batchSize: 500,
        log: ctx.log,
      });
      try {
        probe.begin();
        const started = performance.now();
        let n = 0;
        for (const order of benchOrders(ctx.seed, count)) {
          const pending = sink.write(order);
          if (pending) await pending;
          if (++n % 2000 === 0) await new Promise((resolve) => setImmediate(resolve));
        }
        await sink.flush();
        const seconds = (performance.now() - started) / 1000;
        probe.end();
        const end = await topicEnd(ctx, topic);
        const valid = sink.acknowledged === count && end === count;
        return outcomeOf(
          count,
          seconds,
          valid,
          valid ? undefined : `${sink.acknowledged} acknowledged, ${end} in topic`,
        );
      } finally {
        await sink.close();
      }
    });
  },
};

/** Poll service metrics until `expected` input records are committed; the first/last commit trace. */
async function followServices(
  services: ServiceProcess[],
  expected: number,
  timeoutMs: number,
): Promise<{
  trace: ReturnType<typeof newTrace>;
  timedOut: boolean;
  loopP99: number | undefined;
  last: ServiceMetrics[];
  /** Highest summed consumer lag seen while the run went on. */
  maxLag: number;
}> {
  const trace = newTrace();
  let loopP99: number | undefined;
  let last: ServiceMetrics[] = [];
  let maxLag = 0;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = performance.now();
    const all = await Promise.all(services.map((s) => scrape(s)));
    last = all.filter((m): m is ServiceMetrics => m !== undefined);
    const count = last.reduce((sum, m) => sum + m.recordsIn, 0);
    maxLag = Math.max(
      maxLag,
      last.reduce((sum, m) => sum + m.lag, 0),
    );
    for (const m of last)
      if (m.eventLoopP99Ms !== undefined) loopP99 = Math.max(loopP99 ?? 0, m.eventLoopP99Ms);
    if (count > trace.count) noteCommit(trace, count - trace.count, now);
    if (trace.count >= expected) return { trace, timedOut: false, loopP99, last, maxLag };
    for (const s of services) {
      if (s.child.exitCode !== null) {
        throw new OrderflowError(
          'ORDERFLOW_USAGE',
          `${s.name} exited (${s.child.exitCode}): ${s.problems.join(' | ').slice(0, 1500)}`,
        );
      }
    }
    if (Date.now() > deadline) return { trace, timedOut: true, loopP99, last, maxLag };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Per-run evidence from the stage metrics: transactions, their share of the batch time, lag. */
export function stageEvidence(
  metrics: ServiceMetrics[],
  records: number,
  maxLag: number,
): Record<string, number> {
  const sum = (f: (m: ServiceMetrics) => number) => metrics.reduce((s, m) => s + f(m), 0);
  const transactions = sum((m) => m.transactions);
  const txSeconds = sum((m) => m.transactionSeconds);
  const txCount = sum((m) => m.transactionCount);
  const batchSeconds = sum((m) => m.batchSeconds);
  const batchCount = sum((m) => m.batchCount);
  return {
    transactions,
    recordsPerTransaction: transactions > 0 ? Math.round(records / transactions) : 0,
    meanTransactionMs: txCount > 0 ? Math.round((txSeconds / txCount) * 10_000) / 10 : 0,
    meanBatchMs: batchCount > 0 ? Math.round((batchSeconds / batchCount) * 10_000) / 10 : 0,
    transactionShareOfBatch: batchSeconds > 0 ? Math.round((txSeconds / batchSeconds) * 100) / 100 : 0,
    maxLag,
  };
}

function stageSystem(stage: Stage): SystemDef {
  const def = STAGES[stage];
  return {
    id: `stage-${stage}`,
    kind: 'system',
    title: `${stage} stage alone (orderflow process ${stage})`,
    unit: 'orders/s',
    method: `The real \`orderflow process ${stage}\` child process(es) over a pre-filled ${def.input} topic: first to last committed batch (from its /metrics), then an exact count of the committed outputs.`,
    ordersPerRecord: () => 1,
    async run(ctx, probe, run) {
      const prefix = prefixOf(ctx, run);
      const input = topicName(def.input, prefix);
      const data = ctx.input.stages[stage];
      const outputs = [topicName(def.success, prefix), topicName(def.failed, prefix)];
      return withTopics(ctx, prefix, async () => {
        await createTopics(ctx.kafka, [input, dlqTopic(input), ...outputs]);
        await produceAll(ctx.kafka, input, data.input);
        const services: ServiceProcess[] = [];
        try {
          await startStageInstances(ctx, stage, prefix, run, probe, services);
          probe.begin();
          const r = await followServices(services, data.input.length, timeoutFor(data.input.length, 300));
          probe.end();
          const out = traceOutcome(r.trace, data.input.length, data.input.length, r.timedOut);
          out.eventLoopP99Ms = r.loopP99;
          out.extra = stageEvidence(r.last, data.input.length, r.maxLag);
          const expected = data.next.length + data.failed.length;
          const check = await consumeAll(ctx.kafka, outputs, expected, {
            group: `${prefix}check`,
            settleMs: 1000,
            timeoutMs: 120_000,
          });
          if (check.trace.count !== expected || check.distinct !== expected) {
            out.valid = false;
            out.note = `outputs hold ${check.trace.count} records (${check.distinct} distinct), expected ${expected}`;
          }
          return out;
        } finally {
          for (const s of services) await stopService(s);
        }
      });
    },
  };
}

const splitterSystem: SystemDef = {
  id: 'splitter',
  kind: 'system',
  title: 'splitter alone (finished + failed -> orders, customers, order_items)',
  unit: 'orders/s',
  method:
    'The splitter service (splitter/service.ts) in a process of its own over pre-filled finished_orders and failed_orders: first to last committed batch, then exact counts of orders and order_items.',
  ordersPerRecord: () => 1,
  async run(ctx, probe, run) {
    const prefix = prefixOf(ctx, run);
    const input = ctx.input;
    const topics = ['finished', 'failed', 'orders', 'customers', 'orderItems'] as const;
    const names = topics.map((t) => topicName(t, prefix));
    return withTopics(ctx, prefix, async () => {
      await createTopics(ctx.kafka, [...names, dlqTopic(names[0]!), dlqTopic(names[1]!)]);
      await produceAll(ctx.kafka, names[0]!, input.finished);
      await produceAll(ctx.kafka, names[1]!, input.failed);
      const expected = input.finished.length + input.failed.length;
      const { trace, timedOut } = await helperProcess<{ trace: CommitTrace; timedOut: boolean }>(
        SPLITTER_MAIN,
        {
          bootstrap: ctx.kafka.bootstrap,
          registryUrl: ctx.registryUrl,
          prefix,
          instance: run,
          batchSize: ctx.batchSize,
          expected,
          timeoutMs: timeoutFor(expected, 300),
        },
        'splitter',
        probe,
      );
      const out = traceOutcome(trace, expected, expected, timedOut);
      const orders = await consumeAll(ctx.kafka, [names[2]!], expected, {
        group: `${prefix}check-orders`,
        settleMs: 1000,
        timeoutMs: 120_000,
      });
      const items = await consumeAll(ctx.kafka, [names[4]!], input.items, {
        group: `${prefix}check-items`,
        settleMs: 1000,
        timeoutMs: 120_000,
      });
      if (
        orders.trace.count !== expected ||
        orders.distinct !== expected ||
        items.trace.count !== input.items ||
        items.distinct !== input.items
      ) {
        out.valid = false;
        out.note = `orders ${orders.trace.count} (${orders.distinct} distinct), items ${items.trace.count} (${items.distinct} distinct); expected ${expected} and ${input.items}`;
      }
      return out;
    });
  },
};

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
async function followRows(
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
      await new Promise((r) => setTimeout(r, pollMs));
    }
  } finally {
    await client.end();
  }
}

const sinkSystem: SystemDef = {
  id: 'sink',
  kind: 'system',
  title: 'JDBC sink alone (Kafka Connect, 3 connectors)',
  unit: 'rows/s',
  method:
    'The prefixed sink connectors (connect/sinks/*.json) over pre-filled split topics into a fresh migrated schema: first landed row to the last (counts polled every 250 ms), exact row counts.',
  ordersPerRecord: (ctx) => ctx.sinkInput.orders / totalRows(ctx.sinkInput),
  async run(ctx, probe, run) {
    const prefix = prefixOf(ctx, run);
    const schema = schemaOf(ctx, run);
    const input = ctx.sinkInput;
    const want = landedRows(input);
    const names = {
      orders: topicName('orders', prefix),
      customers: topicName('customers', prefix),
      items: topicName('orderItems', prefix),
    };
    return withTopics(ctx, prefix, async () => {
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
    });
  },
};

const endToEnd: SystemDef = {
  id: 'end-to-end',
  kind: 'system',
  title: 'whole chain: generator -> 3 stages -> splitter -> sink -> PostgreSQL',
  unit: 'orders/s',
  method:
    'Fresh topics and schema; the three stages and the splitter as child processes, the sink connectors deployed, then the in-process generator: first send to the last landed row (counts polled every 500 ms); valid only with exactly N distinct orders in PostgreSQL.',
  ordersPerRecord: () => 1,
  async run(ctx, probe, run) {
    const prefix = prefixOf(ctx, run);
    const schema = schemaOf(ctx, run);
    const count = ctx.e2eOrders;
    // Rows expected in PostgreSQL: from the same seeded orders through the same pure logic.
    const want = e2eRows(ctx, count);
    return withTopics(ctx, prefix, async () => {
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
        const sink = await KafkaOrderSink.open({
          kafkaBootstrap: ctx.kafka.bootstrap,
          registryUrl: ctx.registryUrl,
          topicPrefix: prefix,
          retryBudgetMs: 30_000,
          maxInFlight: 32,
          batchSize: 500,
          log: ctx.log,
        });
        let seconds = Number.NaN;
        let r: Awaited<ReturnType<typeof followRows>>;
        try {
          probe.begin();
          const started = performance.now();
          const polling = followRows(ctx, schema, want, timeoutFor(count, 50), 500);
          let n = 0;
          for (const order of benchOrders(ctx.seed, count)) {
            const pending = sink.write(order);
            if (pending) await pending;
            if (++n % 2000 === 0) await new Promise((resolve) => setImmediate(resolve));
          }
          await sink.flush();
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
    });
  },
};

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

export function allSystems(sinkBatch: () => number): SystemDef[] {
  return [
    rawProduce,
    rawConsume,
    passThroughSystem(true),
    passThroughSystem(false),
    codec,
    pgBaseline('copy', sinkBatch),
    pgBaseline('upsert', sinkBatch),
    generator,
    stageSystem('payment'),
    stageSystem('shipping'),
    stageSystem('delivery'),
    splitterSystem,
    sinkSystem,
    endToEnd,
  ];
}

export type { Message };
