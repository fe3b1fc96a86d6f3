/**
 * `orderflow bench`: build the seeded input, then for each baseline and system one warm-up and N
 * measured runs, the ratios, optional latency runs, and the result file. Every run is bounded by a
 * timeout; the whole invocation by --max-minutes (systems left when it runs out are skipped and
 * say so).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { PRODUCER_DEFAULTS } from '../producer/kafka-sink.ts';
import { CONCURRENT_PARTITIONS } from '../runtime/group-commit.ts';
import { buildInput, type BenchInput } from './input.ts';
import { resultHead, type Connections, type Invocation } from './invocation.ts';
import { PASSTHROUGH_PRODUCER, RAW_PRODUCE_DEFAULTS, STAGE_CONSUMER, STAGE_PRODUCER } from './kafka-io.ts';
import { machineInfo, versions } from './machine.ts';
import { loadAverage } from './resources.ts';
import { ratio, summarize, type Ratio } from './stats.ts';
import { allSystems, Probe, type BenchContext, type SystemDef } from './systems/index.ts';
import type { BenchResult, RunSample, SystemResult } from './types.ts';

export const RESULTS_DIR = path.join(process.cwd(), 'bench', 'results');

export interface BenchOptions {
  /** Orders of the produce-side systems (raw produce, codec, generator). */
  orders: number;
  /** Orders of the consuming systems (consume, pass-through, stages, splitter). */
  stageOrders: number;
  sinkOrders: number;
  e2eOrders: number;
  runs: number;
  e2eRuns: number;
  warmup: boolean;
  seed: number;
  batchSize: number;
  sinkBatchSize: number;
  instances: number;
  partitions: number;
  systems: string[];
  quick: boolean;
  maxMinutes: number;
  latency: boolean;
}

export const SYSTEM_IDS = allSystems(() => 1000).map((s) => s.id);

export function newRunId(): string {
  return `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
}

const inputCache = new Map<string, BenchInput>();

export async function inputFor(
  registryUrl: string,
  seed: number,
  orders: number,
  full = true,
): Promise<BenchInput> {
  const key = `${seed}:${orders}:${full}`;
  let input = inputCache.get(key);
  if (!input) {
    input = await buildInput(registryUrl, seed, orders, full);
    inputCache.set(key, input);
  }
  return input;
}

/** What every bench context takes from the connections and the invocation's options. */
export function baseContext(
  conn: Connections,
  o: { seed: number; batchSize: number; partitions: number },
  log: Logger,
): Pick<
  BenchContext,
  'kafka' | 'registryUrl' | 'connectUrl' | 'databaseUrl' | 'log' | 'runId' | 'seed' | 'batchSize'
> {
  return {
    kafka: { bootstrap: conn.kafkaBootstrap, log, partitions: o.partitions },
    registryUrl: conn.registryUrl,
    connectUrl: conn.connectUrl,
    databaseUrl: conn.databaseUrl,
    log,
    runId: newRunId(),
    seed: o.seed,
    batchSize: o.batchSize,
  };
}

/** A context whose every system reads the one `input` (the sustained chain, bench/sink-throughput.ts). */
export function singleInputContext(
  conn: Connections,
  o: { seed: number; batchSize: number; partitions: number },
  input: BenchInput,
  log: Logger,
): BenchContext {
  return {
    ...baseContext(conn, o, log),
    instances: 1,
    produceInput: input,
    input,
    sinkInput: input,
    e2eOrders: input.orders,
    sinkOverrides: {},
  };
}

export async function makeContext(
  conn: Connections,
  o: Pick<
    BenchOptions,
    | 'orders'
    | 'stageOrders'
    | 'sinkOrders'
    | 'e2eOrders'
    | 'seed'
    | 'batchSize'
    | 'instances'
    | 'partitions'
    | 'sinkBatchSize'
  >,
  log: Logger,
  print: (line: string) => void,
): Promise<BenchContext> {
  const started = performance.now();
  const produceInput = await inputFor(conn.registryUrl, o.seed, o.orders, false);
  const input = await inputFor(conn.registryUrl, o.seed, o.stageOrders);
  const sinkInput =
    o.sinkOrders === o.stageOrders ? input : await inputFor(conn.registryUrl, o.seed, o.sinkOrders);
  print(
    `input (seed ${o.seed}): ${produceInput.orders} orders for the produce side (mean ${produceInput.meanOrderBytes} bytes encoded), ` +
      `${input.orders} for the consuming systems (${input.items} lines), ${sinkInput.orders} for the sink; built in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return {
    ...baseContext(conn, o, log),
    instances: o.instances,
    produceInput,
    input,
    sinkInput,
    e2eOrders: o.e2eOrders,
    sinkOverrides: { 'batch.size': String(o.sinkBatchSize) },
  };
}

/** One run of a system, never throwing: a failure becomes an invalid sample with the error. */
export async function runOnce(ctx: BenchContext, system: SystemDef, label: string): Promise<RunSample> {
  const probe = new Probe();
  try {
    const outcome = await system.run(ctx, probe, label);
    return probe.sample(outcome);
  } catch (error) {
    ctx.log.error({ err: describeError(error), system: system.id }, 'run failed');
    return probe.sample({
      records: 0,
      seconds: Number.NaN,
      rate: Number.NaN,
      valid: false,
      note: `failed: ${describeError(error).slice(0, 600)}`,
    });
  }
}

export function summarizeSystem(
  system: SystemDef,
  warmup: RunSample | null,
  runs: RunSample[],
  error?: string,
): SystemResult {
  const good = runs.filter((r) => r.valid && Number.isFinite(r.rate));
  return {
    id: system.id,
    kind: system.kind,
    title: system.title,
    unit: system.unit,
    method: system.method,
    warmup,
    runs,
    rate: good.length > 0 ? summarize(good.map((r) => r.rate)) : null,
    allValid: runs.length > 0 && runs.every((r) => r.valid),
    ...(error ? { error } : {}),
  };
}

/** The ratios the targets are stated in, from the medians of this run. */
export function computeRatios(results: SystemResult[], ordersPerRecord: Map<string, number>): Ratio[] {
  const med = (id: string) => {
    const r = results.find((s) => s.id === id);
    return { id, median: r?.rate?.median ?? null };
  };
  const ratios: Ratio[] = [];
  for (const stage of ['payment', 'shipping', 'delivery']) {
    ratios.push(
      ratio(`${stage} stage / transactional pass-through`, med(`stage-${stage}`), med('passthrough-tx'), 0.7),
    );
  }
  ratios.push(ratio('splitter / transactional pass-through', med('splitter'), med('passthrough-tx'), 0.7));
  ratios.push(ratio('Flink SQL split / TypeScript splitter', med('flink-split'), med('splitter')));
  ratios.push(ratio('transactional / plain pass-through', med('passthrough-tx'), med('passthrough')));
  // The targets of the whole-chain work: the generator at 60% of raw produce, the sink at 60% of COPY.
  ratios.push(ratio('generator / raw produce', med('generator'), med('raw-produce'), 0.6));
  ratios.push(ratio('sink / COPY', med('sink'), med('copy'), 0.6));
  ratios.push(ratio('sink / batched upsert', med('sink'), med('upsert')));
  // End to end against the slowest baseline, all in orders per second.
  const baselines = results
    .filter((s) => s.kind === 'baseline' && s.rate)
    .map((s) => ({ id: s.id, median: s.rate!.median * (ordersPerRecord.get(s.id) ?? 1) }));
  if (baselines.length > 0) {
    const slowest = baselines.reduce((a, b) => (b.median < a.median ? b : a));
    ratios.push(
      ratio(`end-to-end / slowest baseline (${slowest.id}, in orders/s)`, med('end-to-end'), slowest),
    );
  }
  return ratios;
}

export function clientSettings(o: BenchOptions, sinkConfig: Record<string, string> | undefined) {
  const sink: Record<string, string> = {};
  for (const [k, v] of Object.entries(sinkConfig ?? {})) {
    if (/password|connection\.url|connection\.username/.test(k)) continue;
    sink[k] = v;
  }
  return {
    generatorProducer: {
      ...PRODUCER_DEFAULTS,
      'orders per send': RAW_PRODUCE_DEFAULTS.batchSize,
      'sends in flight': RAW_PRODUCE_DEFAULTS.maxInFlight,
    },
    stageConsumer: {
      ...STAGE_CONSUMER,
      'js.consumer.max.batch.size': o.batchSize,
      partitionsConsumedConcurrently: CONCURRENT_PARTITIONS,
    },
    stageProducer: {
      ...STAGE_PRODUCER,
      'transaction.timeout.ms': 30_000,
      transactions: 'one per group of the batches ready together (group commit)',
    },
    passThroughProducer: {
      ...PASSTHROUGH_PRODUCER,
      'transaction.timeout.ms': 30_000,
      transactions: 'one per group of the batches ready together (group commit)',
    },
    topics: { partitions: o.partitions, 'replication.factor': 1, 'stage instances': o.instances },
    sinkConnector: sink,
  };
}

export async function runBench(invocation: Invocation, o: BenchOptions): Promise<BenchResult> {
  const { conn, print, deadline } = invocation;
  const ctx = await makeContext(conn, o, invocation.log, print);
  const systems = allSystems(() => o.sinkBatchSize).filter((s) => o.systems.includes(s.id));
  const results: SystemResult[] = [];
  const ordersPerRecord = new Map<string, number>();

  for (const system of systems) {
    ordersPerRecord.set(system.id, system.ordersPerRecord(ctx));
    const runs = system.id === 'end-to-end' ? o.e2eRuns : o.runs;
    if (Date.now() > deadline) {
      print(`${system.id}: skipped (the --max-minutes budget is spent)`);
      results.push(summarizeSystem(system, null, [], 'skipped: time budget spent'));
      continue;
    }
    let warmup: RunSample | null = null;
    if (o.warmup) {
      warmup = await runOnce(ctx, system, `${system.id}-w`);
      print(`${system.id}: warm-up ${formatSample(warmup, system.unit)}`);
      if (!warmup.valid && warmup.note?.startsWith('failed')) {
        results.push(summarizeSystem(system, warmup, [], warmup.note));
        continue;
      }
    }
    const samples: RunSample[] = [];
    for (let i = 1; i <= runs; i++) {
      if (Date.now() > deadline) {
        print(`${system.id}: stopping after ${samples.length} run(s) (time budget spent)`);
        break;
      }
      const sample = await runOnce(ctx, system, `${system.id}-${i}`);
      samples.push(sample);
      print(`${system.id}: run ${i}/${runs} ${formatSample(sample, system.unit)}`);
    }
    results.push(summarizeSystem(system, warmup, samples));
  }

  for (const r of results) r.ordersPerRecord = ordersPerRecord.get(r.id) ?? 1;
  const ratios = computeRatios(results, ordersPerRecord);
  const result: BenchResult = {
    ...resultHead('bench', invocation),
    quick: o.quick,
    options: {
      ...o,
      stageLines: ctx.input.items,
      meanOrderBytes: ctx.produceInput.meanOrderBytes,
      sinkRows:
        ctx.sinkInput.rows.orders.length +
        ctx.sinkInput.rows.customers.length +
        ctx.sinkInput.rows.orderItems.length,
    },
    machine: machineInfo(),
    versions: await versions(conn.databaseUrl),
    settings: clientSettings(o, ctx.sinkConfig),
    systems: results,
    ratios,
    latency: [],
    findings: [],
    loadBefore: invocation.loadBefore,
    loadAfter: loadAverage(),
  };
  return result;
}

export function formatSample(s: RunSample, unit: string): string {
  const rate = Number.isFinite(s.rate) ? `${s.rate.toLocaleString('en-US')} ${unit}` : '-';
  const cpu = s.usage
    .filter((u) => u.cpuPercent >= 5)
    .map((u) => `${u.name} ${Math.round(u.cpuPercent)}%`)
    .join(', ');
  return `${rate} in ${Number.isFinite(s.seconds) ? s.seconds.toFixed(2) : '-'} s${s.valid ? '' : ' INVALID'}${s.note ? ` (${s.note})` : ''} [load ${s.load[0].toFixed(1)}->${s.load[1].toFixed(1)}; cpu ${cpu}]`;
}

export function writeResult(result: object, name: string): { file: string; latest: string } {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, name);
  const text = JSON.stringify(result, null, 2) + '\n';
  writeFileSync(file, text);
  const latest = path.join(RESULTS_DIR, name.startsWith('sweep') ? 'sweep-latest.json' : 'latest.json');
  writeFileSync(latest, text);
  return { file, latest };
}

export function timestampName(prefix: string, at = new Date()): string {
  return `${prefix}${at.toISOString().replace(/[:.]/g, '-')}.json`;
}

/** Orders per counted record of a system in a result (older results lack the field: derive it). */
function ordersPerRecordOf(result: BenchResult, s: SystemResult): number {
  if (s.ordersPerRecord !== undefined) return s.ordersPerRecord;
  const o = result.options as { sinkOrders?: number; sinkRows?: number };
  return s.unit === 'rows/s' && o.sinkOrders && o.sinkRows ? o.sinkOrders / o.sinkRows : 1;
}

/**
 * A result with some systems re-measured in a later run: the later run's systems replace those of
 * the same id, the ratios are recomputed, and the result says which systems came from where.
 */
export function mergeResults(base: BenchResult, later: BenchResult): BenchResult {
  const replaced = later.systems.filter((s) => s.runs.length > 0).map((s) => s.id);
  const systems = base.systems.map((s) => {
    const again = later.systems.find((l) => l.id === s.id && l.runs.length > 0);
    return again
      ? { ...again, ordersPerRecord: ordersPerRecordOf(later, again) }
      : { ...s, ordersPerRecord: ordersPerRecordOf(base, s) };
  });
  for (const s of later.systems) {
    if (s.runs.length > 0 && !systems.some((x) => x.id === s.id))
      systems.push({ ...s, ordersPerRecord: ordersPerRecordOf(later, s) });
  }
  const map = new Map(systems.map((s) => [s.id, s.ordersPerRecord ?? 1]));
  const remeasured = [
    ...((base.options.remeasured as { at: string; systems: string[] }[] | undefined) ?? []),
  ];
  remeasured.push({ at: later.startedAt, systems: replaced });
  return {
    ...base,
    finishedAt: later.finishedAt > base.finishedAt ? later.finishedAt : base.finishedAt,
    options: { ...base.options, remeasured },
    versions: {
      ...base.versions,
      orderflowCommit: `${base.versions.orderflowCommit ?? 'unknown'}, later ${later.versions.orderflowCommit ?? 'unknown'}`,
    },
    systems,
    ratios: computeRatios(systems, map),
    latency: later.latency.length > 0 ? later.latency : base.latency,
    loadAfter: later.loadAfter,
  };
}
