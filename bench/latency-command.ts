/**
 * `orderflow bench latency`: the chain's latency at 50% and 80% of a maximum rate, on its own. The
 * maximum is the newest sustained result's chain orders/s (`orderflow bench sustained`, the
 * figure issue 18 scales from), or --rate; each run is bench/latency.ts's: fresh topics and schema,
 * the stages, the splitter and the sink, orders offered at a fixed rate for about 30 s.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { OrderflowError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import type { SustainedResult } from './cpu-account.ts';
import { runLatency } from './latency.ts';
import { latencyClockNote } from './report.ts';
import { RESULTS_DIR, timestampName, type BenchOptions } from './suite.ts';
import type { LatencyRun } from './types.ts';

export interface LatencyResult {
  kind: 'latency';
  startedAt: string;
  finishedAt: string;
  /** The rate the fractions are of, orders/s, and where it came from. */
  maxRate: number;
  maxRateFrom: string;
  runs: LatencyRun[];
  loadBefore: number[];
  loadAfter: number[];
}

/** The newest bench/results/<prefix>*.json (names sort by time), parsed; undefined if none. */
export function newestResult<T>(prefix: string): { file: string; result: T } | undefined {
  if (!existsSync(RESULTS_DIR)) return undefined;
  const names = readdirSync(RESULTS_DIR)
    .filter((n) => n.startsWith(prefix) && n.endsWith('.json') && !n.endsWith('latest.json'))
    .sort();
  const last = names[names.length - 1];
  if (!last) return undefined;
  const file = path.join(RESULTS_DIR, last);
  return { file, result: JSON.parse(readFileSync(file, 'utf8')) as T };
}

/** The rate to scale from: --rate, else the newest valid sustained chain's orders/s. */
export function maxRateOf(
  rate: string | undefined,
  sustained: { file: string; result: SustainedResult } | undefined,
): {
  rate: number;
  from: string;
} {
  if (rate !== undefined) {
    const n = Number(rate);
    if (!(Number.isFinite(n) && n >= 2))
      throw new OrderflowError(
        'ORDERFLOW_USAGE',
        `--rate must be a number of orders/s of at least 2, got ${JSON.stringify(rate)}`,
      );
    return { rate: n, from: '--rate' };
  }
  const chain = sustained?.result.chain;
  if (!sustained || !chain?.valid || !(chain.ordersPerSecond > 0))
    throw new OrderflowError(
      'ORDERFLOW_USAGE',
      'no valid sustained result to scale from in bench/results: run `npx orderflow bench sustained` first, or give --rate <orders/s>',
    );
  return { rate: chain.ordersPerSecond, from: path.relative(process.cwd(), sustained.file) };
}

export function registerLatency(
  bench: Command,
  connections: () => Parameters<typeof runLatency>[0],
  /** The bench's options from this command's flags and those given to `bench` itself. */
  options: (own: { rate?: string }, command: Command) => BenchOptions & { rate?: string },
): void {
  bench
    .command('latency')
    .description(
      "Generation-to-finished and generation-to-PostgreSQL latency (p50/p95/p99) at 50% and 80% of a maximum rate: the newest sustained result's chain orders/s (`bench sustained`), or --rate; PostgreSQL stamps each row's arrival itself; writes bench/results/latency-<timestamp>.json",
    )
    .option('--rate <orders/s>', 'the maximum the fractions are of (default: the newest sustained result)')
    .addHelpText(
      'after',
      "\n`bench`'s own flags apply: --e2e-orders (most orders per run; a run offers about 30 s of load), --seed, --batch-size, --partitions.",
    )
    .action(async (own: { rate?: string }, command: Command) => {
      const o = options(own, command);
      const max = maxRateOf(o.rate, newestResult<SustainedResult>('sustained-'));
      const log = createLogger('bench', process.env.ORDERFLOW_LOG_LEVEL ?? 'warn');
      const print = (line: string) => process.stdout.write(`${line}\n`);
      print(`latency at 50% and 80% of ${Math.round(max.rate)} orders/s (from ${max.from})`);
      const startedAt = new Date().toISOString();
      const loadBefore = loadavg();
      const runs = await runLatency(connections(), o, max.rate, log, print);
      const result: LatencyResult = {
        kind: 'latency',
        startedAt,
        finishedAt: new Date().toISOString(),
        maxRate: max.rate,
        maxRateFrom: max.from,
        runs,
        loadBefore,
        loadAfter: loadavg(),
      };
      mkdirSync(RESULTS_DIR, { recursive: true });
      const file = path.join(RESULTS_DIR, timestampName('latency-', new Date(startedAt)));
      writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
      if (runs[0]) print(latencyClockNote(runs[0]));
      print(`result: ${path.relative(process.cwd(), file)}`);
      if (runs.some((r) => !r.valid)) process.exitCode = 1;
    });
}
