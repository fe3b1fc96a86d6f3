/**
 * The real services as child processes (`orderflow process <stage>`, `orderflow split`), started
 * and stopped by the benchmark, observed through their /metrics endpoint and /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { OrderflowError } from '../common/errors.ts';
import type { Stage } from '../schemas/types.generated.ts';

export const ORDERFLOW_BIN = fileURLToPath(new URL('../bin/orderflow.mjs', import.meta.url));

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  /** HTTP port of /metrics, when the service has one. */
  port: number | undefined;
  exited: Promise<number | null>;
  /** Recent log lines (warnings and errors), for the report when something fails. */
  problems: string[];
}

function start(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  wantPort: boolean,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [ORDERFLOW_BIN, ...args], {
    env: { ...process.env, ORDERFLOW_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new OrderflowError('ORDERFLOW_USAGE', `could not start ${name}`);
  const problems: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const service: ServiceProcess = { name, child, pid: child.pid, port: undefined, exited, problems };
  return new Promise((resolve, reject) => {
    let settled = false;
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      let entry: { level?: number; msg?: string; port?: number };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        return;
      }
      if ((entry.level ?? 0) >= 40) {
        problems.push(line.slice(0, 500));
        if (problems.length > 20) problems.shift();
      }
      if (!settled && wantPort && typeof entry.port === 'number' && entry.msg === 'processing') {
        service.port = entry.port;
        settled = true;
        resolve(service);
      }
      if (!settled && !wantPort && entry.msg === 'stage started') {
        settled = true;
        resolve(service);
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      problems.push(d.toString().slice(0, 500));
      if (problems.length > 20) problems.shift();
    });
    void exited.then((code) => {
      if (!settled) {
        settled = true;
        reject(
          new OrderflowError(
            'ORDERFLOW_USAGE',
            `${name} exited with ${code} before it was ready: ${problems.join(' | ').slice(0, 2000)}`,
          ),
        );
      }
    });
  });
}

export function startStage(
  stage: Stage,
  o: { prefix: string; instance: string; seed: number; batchSize: number; transactions?: boolean },
): Promise<ServiceProcess> {
  const args = [
    'process',
    stage,
    '--topic-prefix',
    o.prefix,
    '--instance-id',
    o.instance,
    '--port',
    '0',
    '--seed',
    String(o.seed),
    '--batch-size',
    String(o.batchSize),
  ];
  if (o.transactions === false) args.push('--no-transactions');
  return start(`${stage} ${o.instance}`, args, {}, true);
}

export function startSplitterProcess(o: {
  prefix: string;
  instance: string;
  batchSize: number;
}): Promise<ServiceProcess> {
  return start(
    `splitter ${o.instance}`,
    ['split', '--topic-prefix', o.prefix, '--instance-id', o.instance, '--batch-size', String(o.batchSize)],
    {},
    false,
  );
}

/** SIGTERM, then wait for the exit (SIGKILL after `graceMs`). Only for processes this benchmark started. */
export async function stopService(s: ServiceProcess, graceMs = 15_000): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), graceMs);
  await s.exited;
  clearTimeout(timer);
}

export interface ServiceMetrics {
  recordsIn: number;
  eventLoopP99Ms: number | undefined;
  transactions: number;
  /** Sum and count of the time from beginning a transaction to its commit (seconds). */
  transactionSeconds: number;
  transactionCount: number;
  /** Sum and count of the time per consumed batch, decode to commit (seconds). */
  batchSeconds: number;
  batchCount: number;
  /** Consumer lag summed over the input partitions, after the last batch of each. */
  lag: number;
}

/** The metrics summed over their series into a field of ServiceMetrics. */
const SUMMED_METRICS: Record<string, Exclude<keyof ServiceMetrics, 'eventLoopP99Ms' | 'transactions'>> = {
  orderflow_stage_records_in_total: 'recordsIn',
  orderflow_stage_transaction_seconds_sum: 'transactionSeconds',
  orderflow_stage_transaction_seconds_count: 'transactionCount',
  orderflow_stage_batch_seconds_sum: 'batchSeconds',
  orderflow_stage_batch_seconds_count: 'batchCount',
  orderflow_stage_consumer_lag: 'lag',
};

/** Parse the few metrics the benchmark reads from a service's Prometheus text. */
export function parseMetrics(text: string): ServiceMetrics {
  const out: ServiceMetrics = {
    recordsIn: 0,
    eventLoopP99Ms: undefined,
    transactions: 0,
    transactionSeconds: 0,
    transactionCount: 0,
    batchSeconds: 0,
    batchCount: 0,
    lag: 0,
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+([^\s]+)/.exec(line);
    if (!m) continue;
    const value = Number(m[3]);
    const summed = SUMMED_METRICS[m[1]!];
    if (summed) out[summed] += value;
    else if (m[1] === 'orderflow_stage_transactions_total') {
      if (m[2]?.includes('outcome="committed"')) out.transactions += value;
    } else if (m[1] === 'orderflow_nodejs_eventloop_lag_p99_seconds') out.eventLoopP99Ms = value * 1000;
  }
  return out;
}

export async function scrape(s: ServiceProcess): Promise<ServiceMetrics | undefined> {
  if (s.port === undefined) return undefined;
  try {
    const res = await fetch(`http://127.0.0.1:${s.port}/metrics`, { signal: AbortSignal.timeout(5_000) });
    return parseMetrics(await res.text());
  } catch {
    return undefined;
  }
}
