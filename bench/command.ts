/**
 * `orderflow bench` (measure), `orderflow bench sweep --knob <knob>` (one setting at a time) and
 * `orderflow bench report` (BENCHMARKS.md from the latest result).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadSettings } from '../common/config.ts';
import { OrderflowError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { addSettingFlags } from '../common/setting-flags.ts';
import { connectionSettings, sharedSettings } from '../common/settings.ts';
import { runLatency } from './latency.ts';
import { newestResult, registerLatency, type LatencyResult } from './latency-command.ts';
import { renderConsole, renderMarkdown, renderSweep } from './report.ts';
import { loadConnections, startInvocation } from './invocation.ts';
import {
  mergeResults,
  RESULTS_DIR,
  runBench,
  SYSTEM_IDS,
  timestampName,
  writeResult,
  type BenchOptions,
} from './suite.ts';
import { renderSustainedTable, type SustainedResult } from './cpu-account.ts';
import { runSustained } from './sustained.ts';
import { KNOBS, runSweep } from './sweep.ts';
import type { BenchResult, SweepResult } from './types.ts';

/** Systems of a --quick run: every baseline, the generator, one stage, the sink and one end-to-end run. */
export const QUICK_SYSTEMS = [
  'raw-produce',
  'raw-consume',
  'passthrough-tx',
  'codec',
  'copy',
  'upsert',
  'generator',
  'stage-payment',
  'end-to-end',
];

interface RawOptions {
  quick?: boolean;
  orders?: string;
  stageOrders?: string;
  sinkOrders?: string;
  e2eOrders?: string;
  runs?: string;
  e2eRuns?: string;
  warmup: boolean;
  seed?: string;
  batchSize?: string;
  sinkBatchSize?: string;
  instances?: string;
  partitions?: string;
  systems?: string;
  maxMinutes?: string;
  latency: boolean;
  values?: string;
  knob?: string;
}

function int(flag: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) {
    throw new OrderflowError(
      'ORDERFLOW_USAGE',
      `${flag} must be an integer of at least ${min}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/** The settings a benchmark shares with the services: --seed and --batch-size mean what they mean there. */
export const benchSettings = { seed: sharedSettings.seed, batchSize: sharedSettings.batchSize };

/** Flags to options; --quick changes the defaults only (explicit flags still win). */
export function parseBenchOptions(raw: RawOptions, env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const shared = loadSettings(benchSettings, env, { seed: raw.seed, batchSize: raw.batchSize });
  const quick = raw.quick === true;
  const systems =
    raw.systems === undefined
      ? quick
        ? QUICK_SYSTEMS
        : SYSTEM_IDS
      : raw.systems.split(',').map((s) => s.trim());
  const unknown = systems.filter((s) => !SYSTEM_IDS.includes(s));
  if (unknown.length > 0) {
    throw new OrderflowError(
      'ORDERFLOW_USAGE',
      `unknown system(s) ${unknown.join(', ')}: use ${SYSTEM_IDS.join(', ')}`,
    );
  }
  const max = raw.maxMinutes === undefined ? (quick ? 2.5 : 40) : Number(raw.maxMinutes);
  if (!(max > 0))
    throw new OrderflowError(
      'ORDERFLOW_USAGE',
      `--max-minutes must be a positive number, got ${raw.maxMinutes}`,
    );
  return {
    quick,
    orders: int('--orders', raw.orders, quick ? 20_000 : 200_000),
    stageOrders: int('--stage-orders', raw.stageOrders, quick ? 10_000 : 50_000),
    sinkOrders: int('--sink-orders', raw.sinkOrders, quick ? 5_000 : 20_000),
    e2eOrders: int('--e2e-orders', raw.e2eOrders, quick ? 5_000 : 10_000),
    runs: int('--runs', raw.runs, quick ? 2 : 5),
    e2eRuns: int('--e2e-runs', raw.e2eRuns, quick ? 1 : 5),
    warmup: raw.warmup && !quick,
    seed: shared.seed,
    batchSize: shared.batchSize,
    sinkBatchSize: int('--sink-batch-size', raw.sinkBatchSize, 1000),
    instances: int('--instances', raw.instances, 1),
    partitions: int('--partitions', raw.partitions, loadSettings({ p: connectionSettings.partitions }).p),
    systems,
    maxMinutes: max,
    latency: raw.latency && !quick,
  };
}

function withRunOptions(command: Command): Command {
  return addSettingFlags(command, benchSettings, ['seed', 'batchSize'])
    .option('--quick', 'a short run (< 3 min): smaller inputs, 2 runs, no warm-up, fewer systems')
    .option(
      '--orders <n>',
      'orders of the produce-side runs: raw produce, Avro codec, generator (default 200000; quick 20000)',
    )
    .option(
      '--stage-orders <n>',
      'orders of the consuming runs: raw consume, pass-through, stages, splitter (default 50000; quick 10000)',
    )
    .option(
      '--sink-orders <n>',
      'orders whose split rows feed the sink and the PostgreSQL baselines (default 20000; quick 5000)',
    )
    .option('--e2e-orders <n>', 'orders per end-to-end run (default 10000; quick 5000)')
    .option('--runs <n>', 'measured runs per system, after one warm-up (default 5; quick 2)')
    .option('--e2e-runs <n>', 'measured end-to-end runs (default 5; quick 1)')
    .option('--no-warmup', 'skip the warm-up run')
    .option(
      '--sink-batch-size <n>',
      "the sink connectors' batch.size, and the upsert baseline's batch (default 1000)",
    )
    .option('--instances <n>', 'instances per stage (default 1)')
    .option('--partitions <n>', 'partitions per topic (default ORDERFLOW_PARTITIONS, 6)')
    .option(
      '--max-minutes <n>',
      'time budget: systems left when it is spent are skipped (default 40; quick 2.5)',
    );
}

const print = (line: string) => process.stdout.write(`${line}\n`);

export function register(program: Command): void {
  const bench = withRunOptions(
    program
      .command('bench')
      .description(
        'Benchmark the pipeline on the local stack: baselines (raw produce/consume, pass-through with and without transactions, Avro codec, COPY, batched upsert) and the systems (generator, each stage, splitter, the Flink SQL split with ORDERFLOW_FLINK=on, sink, whole chain), one warm-up and several runs each; prints a table and writes bench/results/<timestamp>.json and latest.json',
      ),
  )
    .option('--systems <list>', `comma-separated subset of: ${SYSTEM_IDS.join(', ')}`)
    .option(
      '--no-latency',
      'skip the fixed-rate latency runs (at 50% and 80% of the measured end-to-end maximum)',
    )
    .action(async (raw: RawOptions) => {
      const o = parseBenchOptions(raw);
      const log = createLogger('bench', process.env.ORDERFLOW_LOG_LEVEL ?? 'warn');
      const invocation = startInvocation({ conn: loadConnections(), log, print }, o.maxMinutes);
      const result = await runBench(invocation, o);
      if (o.latency) {
        const e2e = result.systems.find((s) => s.id === 'end-to-end')?.rate?.median;
        if (e2e) result.latency = await runLatency(invocation.conn, o, e2e, log, print);
        else print('latency: skipped (no valid end-to-end rate to scale from)');
      }
      result.finishedAt = new Date().toISOString();
      const { file } = writeResult(result, timestampName('bench-'));
      print('');
      print(renderConsole(result));
      print('');
      print(
        `result: ${path.relative(process.cwd(), file)} (and bench/results/latest.json); BENCHMARKS.md: npx orderflow bench report`,
      );
    });

  withRunOptions(
    bench
      .command('sweep')
      .description(
        'Vary one setting over a few values (others at their defaults) and measure the system it moves',
      )
      .requiredOption('--knob <knob>', `the setting: ${Object.keys(KNOBS).join(', ')}`)
      .option('--values <list>', 'comma-separated values instead of the built-in ones'),
  ).action(async (own: RawOptions, command: Command) => {
    const raw = withParentOptions(own, command);
    const o = parseBenchOptions({ ...raw, systems: undefined, latency: false });
    if (raw.runs === undefined) o.runs = o.quick ? 1 : 3;
    if (raw.stageOrders === undefined) o.stageOrders = o.quick ? 10_000 : 50_000;
    if (raw.orders === undefined) o.orders = o.stageOrders;
    const values = raw.values?.split(',').map((v) => int('--values', v.trim(), 0, 0));
    const log = createLogger('bench', process.env.ORDERFLOW_LOG_LEVEL ?? 'warn');
    const invocation = startInvocation({ conn: loadConnections(), log, print }, o.maxMinutes);
    const sweep = await runSweep(invocation, raw.knob!, o, values);
    const { file } = writeResult(sweep, timestampName(`sweep-${sweep.knob}-`));
    print('');
    print(renderSweep(sweep));
    print('');
    print(`result: ${path.relative(process.cwd(), file)}`);
  });

  addSettingFlags(
    bench
      .command('sustained')
      .description(
        'The whole chain under a backfill (default 100,000 orders, started cold, ended when the last order is in PostgreSQL and reconcile passes): orders/s and CPU-microseconds per order of every process (services, broker, Connect, registry, PostgreSQL with its backends), next to a floor baseline in the same run (the same records through the same five hops by the raw client, landed with COPY); writes bench/results/sustained-<timestamp>.json',
      )
      .option('--orders <n>', 'orders of the backfill (default 100000)')
      .option('--partitions <n>', 'partitions per topic (default ORDERFLOW_PARTITIONS, 6)')
      .option('--no-floor', 'skip the floor baseline')
      .option('--max-minutes <n>', 'time budget of the whole invocation (default 10)'),
    benchSettings,
    ['seed', 'batchSize'],
  ).action(
    async (
      own: {
        orders?: string;
        partitions?: string;
        floor: boolean;
        maxMinutes?: string;
        seed?: string;
        batchSize?: string;
      },
      command: Command,
    ) => {
      const raw = withParentOptions(own as unknown as RawOptions, command) as unknown as typeof own;
      const shared = loadSettings(benchSettings, process.env, { seed: raw.seed, batchSize: raw.batchSize });
      const max = raw.maxMinutes === undefined ? 10 : Number(raw.maxMinutes);
      if (!(max > 0))
        throw new OrderflowError(
          'ORDERFLOW_USAGE',
          `--max-minutes must be a positive number, got ${raw.maxMinutes}`,
        );
      const log = createLogger('bench', process.env.ORDERFLOW_LOG_LEVEL ?? 'warn');
      const result = await runSustained(startInvocation({ conn: loadConnections(), log, print }, max), {
        orders: int('--orders', raw.orders, 100_000),
        seed: shared.seed,
        batchSize: shared.batchSize,
        partitions: int('--partitions', raw.partitions, loadSettings({ p: connectionSettings.partitions }).p),
        floor: own.floor,
        maxMinutes: max,
      });
      const file = writeSustained(result);
      print('');
      for (const line of renderSustainedTable(result)) print(line);
      print('');
      print(
        `load average before ${result.loadBefore.map((x) => x.toFixed(2)).join(' / ')}, after ${result.loadAfter.map((x) => x.toFixed(2)).join(' / ')}`,
      );
      print(
        `result: ${path.relative(process.cwd(), file)} (BENCHMARKS.md leads with the newest: npx orderflow bench report)`,
      );
      if (!result.chain.valid || (result.floor && !result.floor.valid)) process.exitCode = 1;
    },
  );

  registerLatency(bench, loadConnections, (own, command) => {
    const raw = withParentOptions(own as RawOptions, command);
    return { ...parseBenchOptions({ ...raw, systems: undefined, latency: true }), rate: own.rate };
  });

  bench
    .command('report')
    .description(
      'Write BENCHMARKS.md from bench/results/latest.json (and the latest sweep of each knob, and bench/analysis.md)',
    )
    .option('--result <file>', 'the bench result to render (default bench/results/latest.json)')
    .option(
      '--merge <files>',
      'comma-separated later results whose systems replace those of the same id (re-measured systems); ratios are recomputed',
    )
    .option('--out <file>', 'where to write (default BENCHMARKS.md)')
    .action(async (opts: { result?: string; out?: string; merge?: string }) => {
      const file = opts.result ?? path.join(RESULTS_DIR, 'latest.json');
      if (!existsSync(file)) {
        throw new OrderflowError('ORDERFLOW_USAGE', `no result at ${file}: run npx orderflow bench first`);
      }
      let result = readResult(file);
      for (const later of opts.merge?.split(',') ?? [])
        result = mergeResults(result, readResult(later.trim()));
      const sweeps = latestSweeps();
      const analysisFile = path.join(process.cwd(), 'bench', 'analysis.md');
      const analysis = existsSync(analysisFile) ? readFileSync(analysisFile, 'utf8') : undefined;
      const out = opts.out ?? path.join(process.cwd(), 'BENCHMARKS.md');
      const sustained = latestSustained();
      const latency = newestResult<LatencyResult>('latency-')?.result;
      writeFileSync(
        out,
        await formatMarkdown(
          renderMarkdown(result, {
            sweeps,
            ...(analysis ? { analysis } : {}),
            ...(sustained ? { sustained } : {}),
            ...(latency ? { latency } : {}),
          }),
          out,
        ),
      );
      print(`wrote ${path.relative(process.cwd(), out)} from ${path.relative(process.cwd(), file)}`);
    });
}

/** The project's formatter over the generated Markdown, so `prettier --check` holds for it. */
async function formatMarkdown(text: string, file: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(text, { ...options, filepath: file });
  } catch {
    return text; // formatting is a nicety: without prettier (production install) write it as rendered
  }
}

/**
 * `bench` and `bench sweep` share their flags, and commander hands a flag written after `sweep` to
 * the parent: take the parent's value wherever the subcommand only has its default.
 */
function withParentOptions(own: RawOptions, command: Command): RawOptions {
  const parent = command.parent;
  if (!parent) return own;
  const merged: Record<string, unknown> = { ...own };
  for (const [key, value] of Object.entries(parent.opts())) {
    const source = command.getOptionValueSource(key);
    if ((source === undefined || source === 'default') && parent.getOptionValueSource(key) === 'cli')
      merged[key] = value;
  }
  return merged as unknown as RawOptions;
}

function readResult(file: string): BenchResult {
  if (!existsSync(file)) throw new OrderflowError('ORDERFLOW_USAGE', `no result at ${file}`);
  const result = JSON.parse(readFileSync(file, 'utf8')) as BenchResult;
  if (result.kind !== 'bench') throw new OrderflowError('ORDERFLOW_USAGE', `${file} is not a bench result`);
  return result;
}

/** The newest sweep result per knob in bench/results. */
function latestSweeps(): SweepResult[] {
  if (!existsSync(RESULTS_DIR)) return [];
  const byKnob = new Map<string, SweepResult>();
  for (const name of readdirSync(RESULTS_DIR).sort()) {
    if (!name.startsWith('sweep-') || name === 'sweep-latest.json') continue;
    const s = JSON.parse(readFileSync(path.join(RESULTS_DIR, name), 'utf8')) as SweepResult;
    byKnob.set(s.knob, s); // sorted by time: the last one wins
  }
  return [...byKnob.values()];
}

/** Write a sustained result as bench/results/sustained-<timestamp>.json (latest.json stays the suite's). */
function writeSustained(result: SustainedResult): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, timestampName('sustained-', new Date(result.startedAt)));
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}

/** The newest sustained result in bench/results, if any. */
function latestSustained(): SustainedResult | undefined {
  return newestResult<SustainedResult>('sustained-')?.result;
}
