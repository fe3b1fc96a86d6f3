import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { boolFlag, loadSettings, numberAbove, setting } from '../common/config.ts';
import { OrderflowError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { addSettingFlags, loadCommandSettings, parseFlag } from '../common/setting-flags.ts';
import { connectionSettings, sharedSettings, shopDatabaseSetting } from '../common/settings.ts';
import { apiSettings } from '../api/settings.ts';
import { dashboardSettings } from '../dashboard/settings.ts';
import { catalogSession } from '../common/flink-session.ts';
import { sqlSettings } from '../flink/settings.ts';
import { activeJob, cancelJob, splitJobName, submitSplit } from '../flink/split-job.ts';
import { timeSchema } from '../producer/options.ts';
import { loadStack, stackUp } from '../stack/stack.ts';
import { ensureTopics } from '../stack/topics.ts';
import { DEFAULT_PORTS } from '../processors/settings.ts';
import { STOREFRONT_PORT } from '../storefront/settings.ts';
import { BIN, runToEnd, serviceExited, step } from './run-steps.ts';
import { printWhereToLook, untilListening, watchLanding, watchStock, watchSupport } from './run-progress.ts';

const say = (line: string) => console.log(line);

/** The settings `run` reads itself and hands to the services it starts (the rest they read themselves). */
export const runSettings = {
  seed: sharedSettings.seed,
  dashboardPort: dashboardSettings.port,
  apiPort: apiSettings.port,
  splitter: setting(
    'ORDERFLOW_RUN_SPLITTER',
    z.enum(['typescript', 'flink']),
    'typescript',
    'Which split `orderflow run` starts: the TypeScript splitter service (`orderflow split`), or the Flink SQL job flink/split.sql (`orderflow flink split`, needs ORDERFLOW_FLINK on); never both, they would write every split record twice. TypeScript stays the default: BENCHMARKS.md.',
    { flag: '--splitter <typescript|flink>' },
  ),
};

export type SplitterKind = 'typescript' | 'flink';

interface RunOptions {
  speed: string;
  from?: string;
  live: boolean;
  dashboardWrites: boolean;
}

export interface RunPlan {
  seed: number;
  speed: number;
  from: string | undefined;
  dashboardPort: number;
  /** Port of the order API (POST /v1/orders) on 127.0.0.1. */
  apiPort: number;
  live: boolean;
  /** Start the dashboard with its Kafka views' write calls allowed (replay, discard, connector actions). */
  dashboardWrites: boolean;
  /** Whether the stack brings Flink up (ORDERFLOW_FLINK, default on for run). */
  flink: boolean;
  /** The split run starts: the TypeScript splitter service or the Flink SQL job, one of them. */
  splitter: SplitterKind;
  /** The services run starts, in order (the Flink split is a job on the cluster, not among them). */
  services: string[];
}

/**
 * `orderflow run`: the whole pipeline on the local stack. Starts the stack, creates topics and
 * schemas, migrates the warehouse, deploys the sink connectors, starts the three processors, the
 * storefront, the splitter, the dashboard and the order API, backfills the history, then keeps generating live orders until Ctrl-C,
 * which stops the services it started (the stack keeps running: `orderflow stack down` stops it).
 */
export function register(program: Command): void {
  const runCommand = program
    .command('run')
    .description(
      'Run the whole pipeline on the local stack: backfill two years of orders, then live orders until Ctrl-C',
    );
  // --dashboard-port, --api-port: plain --port would not say which of the services it is for.
  addSettingFlags(runCommand, runSettings, ['seed', 'dashboardPort', 'apiPort', 'splitter'], {
    dashboardPort: { flag: '--dashboard-port <port>' },
    apiPort: { flag: '--api-port <port>' },
  })
    .option(
      '--speed <factor>',
      'live mode: simulated seconds per real second (1440 = a day a minute)',
      '1440',
    )
    .option('--from <date>', 'first backfilled order (default: 24 months ago)')
    .option('--no-live', 'stop after the backfill has landed in PostgreSQL')
    .option(
      '--no-dashboard-writes',
      "start the dashboard read-only (by default run's dashboard, on 127.0.0.1 only, may replay and discard dead letters and act on connectors; ORDERFLOW_DASHBOARD_ALLOW_WRITES, when set, decides instead)",
    )
    .action(async (opts: RunOptions, command: Command) => {
      await run(planRun(opts, command));
    });
}

/** The flags and settings of `run`, checked before anything starts. */
export function planRun(opts: RunOptions, command: Command, env: NodeJS.ProcessEnv = process.env): RunPlan {
  const s = loadCommandSettings(runSettings, command, env);
  // Checked here, before the stack starts; `generate` parses it again.
  if (opts.from !== undefined) parseFlag('--from', timeSchema(Date.now()), opts.from);
  const flink = (env.ORDERFLOW_FLINK ?? 'on') === 'on';
  if (s.splitter === 'flink' && !flink)
    throw new OrderflowError(
      'ORDERFLOW_USAGE',
      '--splitter flink (ORDERFLOW_RUN_SPLITTER) runs the split as a Flink job, but ORDERFLOW_FLINK=off keeps Flink down: unset ORDERFLOW_FLINK, or use --splitter typescript',
    );
  return {
    seed: s.seed,
    speed: parseFlag('--speed', numberAbove(0), opts.speed),
    from: opts.from,
    dashboardPort: s.dashboardPort,
    apiPort: s.apiPort,
    live: opts.live,
    // The run is the playground on loopback: a dead letter can be replayed from the page. An
    // explicit ORDERFLOW_DASHBOARD_ALLOW_WRITES is the dashboard's own setting, and wins.
    dashboardWrites:
      env.ORDERFLOW_DASHBOARD_ALLOW_WRITES === undefined
        ? opts.dashboardWrites !== false
        : parseFlag('ORDERFLOW_DASHBOARD_ALLOW_WRITES', boolFlag, env.ORDERFLOW_DASHBOARD_ALLOW_WRITES) ===
          true,
    flink,
    splitter: s.splitter,
    services: [
      'payment',
      'shipping',
      'delivery',
      'storefront',
      ...(s.splitter === 'typescript' ? ['splitter'] : []),
      'support',
      'support-loader',
      'stock',
      'connect-watchdog',
      'dashboard',
      'api',
      ...(opts.live ? ['generator'] : []),
    ],
  };
}

async function run(opts: RunPlan): Promise<void> {
  const { seed, speed } = opts;
  const conn = loadSettings(connectionSettings);
  const { paths } = loadStack();
  mkdirSync(paths.logs, { recursive: true });

  say('== stack');
  // The whole shop includes streaming SQL: Flink comes up too (`orderflow sql`), unless
  // ORDERFLOW_FLINK=off says otherwise. The explode is the TypeScript splitter unless --splitter flink.
  await stackUp(say, { ...process.env, ORDERFLOW_FLINK: opts.flink ? 'on' : 'off' });
  const flinkSettings = opts.flink ? loadSettings(sqlSettings) : undefined;
  // Never both splits on one prefix: each would write every split record.
  if (flinkSettings && opts.splitter === 'typescript') {
    const rest = `http://127.0.0.1:${flinkSettings.flinkRestPort}`;
    const job = await activeJob(rest, splitJobName(flinkSettings.topicPrefix));
    if (job)
      throw new OrderflowError(
        'ORDERFLOW_USAGE',
        `the Flink split job ${job.jid} runs for this topic prefix: the TypeScript splitter would write every split record a second time. Cancel it (\`orderflow flink cancel-split\`) or run with --splitter flink`,
      );
  }
  await ensureTopics({
    bootstrap: conn.kafkaBootstrap,
    registryUrl: conn.registryUrl,
    prefix: conn.topicPrefix,
    partitions: conn.partitions,
    replicationFactor: conn.replicationFactor,
    log: createLogger('run'),
  });
  say('== warehouse and connectors');
  step('warehouse-migrate', ['warehouse', 'migrate'], paths.logs);
  step('shop-migrate', ['shop', 'migrate', '--seed', String(seed)], paths.logs);
  step('connect-deploy', ['connect', 'deploy'], paths.logs);

  const services: { name: string; child: ChildProcess; log: string }[] = [];
  const start = (name: string, args: string[], env?: NodeJS.ProcessEnv) => {
    const log = path.join(paths.logs, `${name}.log`);
    const fd = openSync(log, 'a');
    const child = spawn(process.execPath, [BIN, ...args], {
      stdio: ['ignore', fd, fd],
      env: env ? { ...process.env, ...env } : undefined,
    });
    services.push({ name, child, log });
    child.on('exit', (code, signal) => {
      if (stopping) return;
      say(`!! ${name} exited (${signal ?? code}); see ${log}`);
      exited ??= { name, log, how: signal ?? `exit ${code}` };
    });
    return child;
  };
  let stopping = false;
  /** The first service that exited by itself: `--no-live` cannot settle without it, and says so. */
  let exited: { name: string; log: string; how: string } | undefined;
  let flinkSplitJob: string | undefined;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    say('\n== stopping the services (the stack keeps running: `npx orderflow stack down` stops it)');
    if (flinkSplitJob && flinkSettings) {
      // The split job is this run's splitter: it stops with the other services (its last checkpoint's
      // output is committed; a later run reads on from the committed offsets).
      await cancelJob(`http://127.0.0.1:${flinkSettings.flinkRestPort}`, flinkSplitJob).catch(
        () => undefined,
      );
      say(`   flink split job ${flinkSplitJob} cancelled`);
    }
    await Promise.all(
      services.map(
        ({ name, child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
            child.once('exit', () => {
              clearTimeout(kill);
              say(`   ${name} stopped`);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));

  say('== backfill');
  const backfill = [
    'generate',
    '--mode',
    'backfill',
    '--seed',
    String(seed),
    ...(opts.from ? ['--from', opts.from] : []),
  ];
  await runToEnd('generator-backfill', backfill, paths.logs);

  // Live: every stage holds an order until its simulated event time is reached, on the same clock as
  // the live generator (simulated time = real time at `anchor`, then `speed` times faster). The
  // services start after the backfill so that the anchor and the live generator's start coincide.
  // Without the live phase nothing is held, so the whole backfill lands.
  const anchor = new Date().toISOString();
  const pacing = opts.live ? ['--speed', String(speed), '--anchor', anchor] : ['--speed', '0'];
  say('== services');
  // Each service's /health and /metrics port: their defaults (9301-9304), or, when
  // ORDERFLOW_HTTP_PORT is set (a second pipeline on this machine), that port and the next three.
  const base = Number(process.env.ORDERFLOW_HTTP_PORT) || 0;
  const httpPort = (fallback: number, offset: number) => [
    '--port',
    String(base > 0 ? base + offset : fallback),
  ];
  for (const [i, stage] of (['payment', 'shipping', 'delivery'] as const).entries()) {
    start(stage, ['process', stage, '--seed', String(seed), ...pacing, ...httpPort(DEFAULT_PORTS[stage], i)]);
  }
  // The storefront: each online order's session (abandoned carts, then its own cart) to cart_events.
  // Its events lie before the order, so it needs no pacing: an order's session is due when it is.
  start('storefront', ['storefront', '--seed', String(seed), ...httpPort(STOREFRONT_PORT, 3)]);
  if (opts.services.includes('splitter')) start('splitter', ['split']);
  else flinkSplitJob = await startFlinkSplit(flinkSettings!);
  // Customer support: tickets from the order outcomes, a report per simulated day on the stack's FTP
  // server, and the loader that brings each report into the warehouse. In live mode a simulated day
  // lasts 86400 / speed real seconds; in a backfill the desk uploads the next report as soon as the
  // loader's receipt of the previous one is on the server (support/README.md, receipts).
  start('support', ['support', 'simulate', '--seed', String(seed)]);
  start('support-loader', ['support', 'load'], {
    ORDERFLOW_SUPPORT_LOAD_POLL_MS: process.env.ORDERFLOW_SUPPORT_LOAD_POLL_MS ?? '100',
  });
  // The shop database's stock from the lifecycle topics; its changes stream back by CDC.
  start('stock', ['stock', '--seed', String(seed)]);
  // Connect never restarts a FAILED sink task (e.g. after a PostgreSQL outage longer than the
  // connectors' flush retries): the watchdog does, with backoff.
  start('connect-watchdog', ['connect', 'watch']);
  start('dashboard', [
    'dashboard',
    '--port',
    String(opts.dashboardPort),
    ...(opts.dashboardWrites ? ['--allow-writes'] : []),
  ]);
  // The order API: orders placed by hand (curl) go through the same stages as the generated ones.
  start('api', ['api', '--port', String(opts.apiPort), '--host', '127.0.0.1', '--seed', String(seed)]);
  if (opts.live) {
    start('generator', [
      'generate',
      '--mode',
      'live',
      '--from',
      anchor,
      '--speed',
      String(speed),
      '--seed',
      String(seed),
    ]);
  }
  // Print the URLs once they answer (a busy two-core machine takes a while to start Node services).
  const notAnswering = await untilListening(
    {
      dashboard: `http://127.0.0.1:${opts.dashboardPort}/`,
      api: `http://127.0.0.1:${opts.apiPort}/health`,
    },
    120_000,
    () => stopping,
  );
  printWhereToLook(conn, opts, paths.logs, notAnswering);
  // Live, a service that exits is reported and the rest go on until Ctrl-C. Without the live
  // phase, the watches below wait for the backfill to settle: a service gone would keep them
  // waiting for ever, so they stop, and the run fails naming it.
  const halted = () => stopping || (!opts.live && exited !== undefined);
  await watchLanding(conn.databaseUrl, halted, !opts.live);
  if (!opts.live) await watchSupport(conn.databaseUrl, halted);
  if (!opts.live) {
    const { shopDatabaseUrl } = loadSettings({ shopDatabaseUrl: shopDatabaseSetting });
    await watchStock(conn.databaseUrl, shopDatabaseUrl, halted);
  }
  if (!opts.live) await stopAll();
  if (!opts.live && exited) throw serviceExited(exited);
}

/**
 * Submit flink/split.sql (as `orderflow flink split` does; a split job of this prefix already running
 * is reused) and wait until the JobManager reports it RUNNING; its job id.
 */
async function startFlinkSplit(s: ReturnType<typeof loadSettings<typeof sqlSettings>>): Promise<string> {
  const rest = `http://127.0.0.1:${s.flinkRestPort}`;
  const r = await submitSplit(s, catalogSession);
  const url = `${rest}/#/job/running/${r.jobId}/overview`;
  const deadline = Date.now() + 60_000;
  let state = 'unknown';
  while (Date.now() < deadline) {
    const res = await fetch(`${rest}/jobs/${r.jobId}`, { signal: AbortSignal.timeout(5000) }).catch(
      () => undefined,
    );
    state = res?.ok ? ((await res.json()) as { state: string }).state : state;
    if (state === 'RUNNING' || state === 'FAILED' || state === 'CANCELED') break;
    await sleep(500);
  }
  if (state !== 'RUNNING')
    throw new OrderflowError(
      'ORDERFLOW_SQL_FAILED',
      `the Flink split job ${r.jobId} is ${state}, not RUNNING, after 60 s: see ${url} and .orderflow/logs/flink-jm.log`,
    );
  say(
    `   flink split job ${splitJobName(s.topicPrefix)} ${r.submitted ? 'submitted' : 'already running'}, RUNNING: ${url}`,
  );
  return r.jobId;
}
