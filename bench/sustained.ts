/**
 * `orderflow bench sustained`: the whole chain under a backfill long enough to reach its steady
 * state, and what it costs in CPU per order across every process of the chain, next to a floor
 * baseline in the same invocation.
 *
 * The chain: fresh topics and schema, the three stages and the splitter started (and ready), the
 * sink connectors deployed, then the real `orderflow generate` backfill of N orders. The window
 * runs from the generator's start to the last order row committed in PostgreSQL (with every
 * customer and line row), then `reconcile` must pass. CPU is read from /proc: each service process,
 * the broker, Connect, the registry and PostgreSQL (the postmaster and its backends).
 *
 * The floor: the same N orders' bytes through the same five hops by the raw client with no
 * application logic (produce; three transactional pass-throughs; a transactional fan-out to each
 * order's pre-encoded split records) and landed with COPY, each hop a process of its own.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { quoteIdent } from '../common/database.ts';
import { describeError, OrderflowError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { runReconcile } from '../connect/reconcile.ts';
import { ORDERFLOW_BIN, startSplitterProcess, stopService, type ServiceProcess } from './children.ts';
import {
  cpuOverWindow,
  parseStat,
  postgresTicks,
  totalMicros,
  treeTicks,
  type ProcessCpu,
  type StatTimes,
  type SustainedResult,
  type SustainedSide,
  type TickReading,
} from './cpu-account.ts';
import type { FloorOptions } from './floor-process.ts';
import { INPUT_FROM, type BenchInput } from './input.ts';
import { createTopics, deletePrefixTopics } from './kafka-io.ts';
import { machineInfo, versions } from './machine.ts';
import { encodeGroups, type RecordGroup } from './message-file.ts';
import { dropSchema } from './postgres-io.ts';
import { loadAverage, stackProcesses, type WatchedProcess } from './resources.ts';
import { inputFor, newRunId, type Connections } from './suite.ts';
import {
  deleteConnectors,
  deployConnectors,
  prepareChain,
  Probe,
  type BenchContext,
} from './systems/index.ts';
import { startStageInstances } from './systems/stages.ts';

const FLOOR_MAIN = fileURLToPath(new URL('./floor-process.ts', import.meta.url));

export interface SustainedOptions {
  orders: number;
  seed: number;
  batchSize: number;
  partitions: number;
  floor: boolean;
  /** The whole invocation's budget; each wait is bounded by what is left of it. */
  maxMinutes: number;
}

interface Watched extends WatchedProcess {
  /** Count live children and reaped children too (PostgreSQL's backends). */
  tree?: boolean;
}

function stat(pid: number): StatTimes | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

function childPids(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // gone
  }
  return out;
}

/** The ticks of each watched process (or tree) now; unreadable ones are left out. */
export function readTicks(watched: readonly Watched[]): TickReading[] {
  const out: TickReading[] = [];
  for (const w of watched) {
    const root = stat(w.pid);
    if (!root) continue;
    if (w.tree && w.name === 'postgres') {
      const children = childPids(w.pid).flatMap((pid) => {
        const times = stat(pid);
        return times ? [{ times, cmdline: cmdline(pid) }] : [];
      });
      out.push(...postgresTicks(root, children));
      continue;
    }
    const ticks = w.tree
      ? treeTicks(
          root,
          childPids(w.pid)
            .map(stat)
            .filter((s): s is StatTimes => s !== undefined),
        )
      : root.own;
    out.push({ name: w.name, ticks });
  }
  return out;
}

/** The broker, Connect, the registry and PostgreSQL (with its backends) of the local stack. */
function stackWatched(names: readonly string[]): Watched[] {
  return stackProcesses()
    .filter((p) => names.includes(p.name))
    .map((p) => ({ ...p, tree: p.withChildren === true }));
}

function side(
  orders: number,
  seconds: number,
  processes: ProcessCpu[],
  rowsPerOrder: number,
  valid: boolean,
  load: [number, number],
  note?: string,
  extra?: Record<string, number | string>,
): SustainedSide {
  return {
    orders,
    seconds: Math.round(seconds * 1000) / 1000,
    ordersPerSecond: seconds > 0 ? Math.round(orders / seconds) : Number.NaN,
    processes,
    totalMicrosPerOrder: totalMicros(processes, orders),
    rowsPerOrder: Math.round(rowsPerOrder * 1000) / 1000,
    valid,
    load,
    ...(note ? { note } : {}),
    ...(extra ? { extra } : {}),
  };
}

/** The real `orderflow generate` backfill of `count` orders from the benchmark's fixed start. */
function startGenerator(o: { prefix: string; seed: number; count: number }): {
  exited: Promise<{ code: number | null; stderr: string }>;
  pid: number;
} {
  const child = spawn(
    process.execPath,
    [
      ORDERFLOW_BIN,
      'generate',
      '--mode',
      'backfill',
      '--from',
      new Date(INPUT_FROM).toISOString(),
      '--count',
      String(o.count),
      '--seed',
      String(o.seed),
      '--topic-prefix',
      o.prefix,
    ],
    { env: { ...process.env, ORDERFLOW_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (child.pid === undefined) throw new OrderflowError('ORDERFLOW_USAGE', 'could not start the generator');
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stderr })),
  );
  return { exited, pid: child.pid };
}

/** This process's reaped children's ticks (cutime + cstime): where an exited generator's CPU goes. */
function reapedTicks(): number {
  return stat(process.pid)?.reaped ?? 0;
}

async function countRows(client: pg.Client, tables: readonly string[]): Promise<number[]> {
  const sql = `select ${tables.map((t, i) => `(select count(*) from ${t}) as c${i}`).join(', ')}`;
  const { rows } = await client.query<Record<string, string>>(sql);
  return tables.map((_, i) => Number(rows[0]![`c${i}`]));
}

/**
 * Poll until every table holds its expected rows (orders alone until they are all in: the other
 * counts are only read then), or the deadline. Returns the time the last count was reached.
 */
async function waitForRows(
  databaseUrl: string,
  schema: string,
  want: { table: string; rows: number }[],
  deadline: number,
  pollMs: number,
  failed: () => string | undefined,
  /** Called once at the end, while the polls' backend still runs (the window's last reading). */
  atEnd: () => void,
): Promise<{ at: number; counts: number[]; timedOut: boolean; failure?: string; pollTicks: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  // The polls' own backend: its CPU is the benchmark's, not the chain's (taken off PostgreSQL's).
  const backend = Number(
    (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid,
  );
  const startTicks = stat(backend)?.own ?? 0;
  const pollTicks = () => {
    const ticks = (stat(backend)?.own ?? startTicks) - startTicks;
    atEnd();
    return ticks;
  };
  try {
    await client.query(`set search_path to ${quoteIdent(schema)}`);
    let counts: number[] = want.map(() => 0);
    for (;;) {
      const first = (await countRows(client, [want[0]!.table]))[0]!;
      if (first >= want[0]!.rows) {
        counts = await countRows(
          client,
          want.map((w) => w.table),
        );
        if (counts.every((c, i) => c >= want[i]!.rows))
          return { at: performance.now(), counts, timedOut: false, pollTicks: pollTicks() };
      } else counts[0] = first;
      const failure = failed();
      if (failure) return { at: performance.now(), counts, timedOut: false, failure, pollTicks: pollTicks() };
      if (Date.now() > deadline)
        return { at: performance.now(), counts, timedOut: true, pollTicks: pollTicks() };
      await sleep(pollMs);
    }
  } finally {
    await client.end();
  }
}

function context(conn: Connections, o: SustainedOptions, input: BenchInput, log: Logger): BenchContext {
  return {
    kafka: { bootstrap: conn.kafkaBootstrap, log, partitions: o.partitions },
    registryUrl: conn.registryUrl,
    connectUrl: conn.connectUrl,
    databaseUrl: conn.databaseUrl,
    log,
    runId: newRunId(),
    seed: o.seed,
    batchSize: o.batchSize,
    instances: 1,
    produceInput: input,
    input,
    sinkInput: input,
    e2eOrders: o.orders,
    sinkOverrides: {},
  };
}

/** The chain under a backfill of N orders: started cold, ended at the last landed row. */
async function runChain(
  ctx: BenchContext,
  input: BenchInput,
  deadline: number,
  print: (line: string) => void,
): Promise<SustainedSide> {
  const n = input.orders;
  const prefix = `bench_${ctx.runId}_sus_`;
  const schema = `bench_${ctx.runId}_sus`;
  const want = {
    orders: input.rows.orders.length,
    customers: input.rows.customers.length,
    orderItems: input.rows.orderItems.length,
  };
  const connectors = await prepareChain(ctx, prefix, schema);
  const services: ServiceProcess[] = [];
  let client: Awaited<ReturnType<typeof deployConnectors>> | undefined;
  try {
    client = await deployConnectors(ctx, connectors);
    const probe = new Probe(); // startStageInstances registers with a probe; the window here is our own
    for (const stage of ['payment', 'shipping', 'delivery'] as const)
      await startStageInstances(ctx, stage, prefix, 'sus', probe, services);
    services.push(await startSplitterProcess({ prefix, instance: 'sus', batchSize: ctx.batchSize }));
    const watched: Watched[] = [
      ...services.map((s) => ({ name: s.name.replace(/ sus(-0)?$/, ''), pid: s.pid })),
      ...stackWatched(['kafka', 'connect', 'registry', 'postgres']),
    ];
    print(`chain: ${services.length} services ready, sink connectors running; backfill of ${n} orders`);
    const before = readTicks(watched);
    const reapedBefore = reapedTicks();
    const loadBefore = loadAverage()[0]!;
    let after: TickReading[] = [];
    const started = performance.now();
    const generator = startGenerator({ prefix, seed: ctx.seed, count: n });
    let generatorExit: { code: number | null; stderr: string } | undefined;
    void generator.exited.then((e) => (generatorExit = e));
    const landed = await waitForRows(
      ctx.databaseUrl,
      schema,
      [
        { table: 'orders', rows: want.orders },
        { table: 'customers', rows: want.customers },
        { table: 'order_items', rows: want.orderItems },
      ],
      deadline,
      500,
      () => {
        if (generatorExit && generatorExit.code !== 0)
          return `generator exited ${generatorExit.code}: ${generatorExit.stderr.slice(-800)}`;
        const gone = services.find((s) => s.child.exitCode !== null);
        return gone
          ? `${gone.name} exited ${gone.child.exitCode}: ${gone.problems.join(' | ').slice(0, 800)}`
          : undefined;
      },
      () => (after = readTicks(watched)),
    );
    const loadAfter = loadAverage()[0]!;
    const seconds = (landed.at - started) / 1000;
    // The generator has exited by now: its CPU is in this process's reaped-children ticks.
    const gen = await Promise.race([generator.exited, sleep(30_000).then(() => undefined)]);
    const generatorTicks = gen ? reapedTicks() - reapedBefore : Number.NaN;
    const afterCharged = after.map((r) =>
      r.name === 'postgres backends' ? { ...r, ticks: r.ticks - landed.pollTicks } : r,
    );
    const processes = cpuOverWindow(
      [...before, { name: 'generator', ticks: 0 }],
      [...afterCharged, { name: 'generator', ticks: generatorTicks }],
      n,
      seconds,
    );
    print(`chain: ${n} orders landed in ${seconds.toFixed(1)} s; reconciling`);
    let note =
      landed.failure ?? (landed.timedOut ? `timed out with ${JSON.stringify(landed.counts)}` : undefined);
    let reconciled = false;
    if (!note) {
      const r = await runReconcile({
        kafkaBootstrap: ctx.kafka.bootstrap,
        registryUrl: ctx.registryUrl,
        databaseUrl: ctx.databaseUrl,
        topicPrefix: prefix,
        warehouseSchema: schema,
        timeoutMs: 180_000,
        log: ctx.log,
      });
      reconciled = r.ok;
      if (!r.ok) note = `reconcile: ${r.differences.slice(0, 3).join('; ')}`;
    }
    const exact =
      landed.counts[0] === want.orders &&
      landed.counts[1] === want.customers &&
      landed.counts[2] === want.orderItems;
    if (!note && !exact) note = `landed ${JSON.stringify(landed.counts)}, expected ${JSON.stringify(want)}`;
    const rowsHeld = want.orders + want.customers + want.orderItems;
    return side(n, seconds, processes, rowsHeld / n, exact && reconciled, [loadBefore, loadAfter], note, {
      rowsHeld,
      recordsSunkPerOrder: Math.round(((2 * n + want.orderItems) / n) * 1000) / 1000,
      reconciled: reconciled ? 'yes' : 'no',
      /** CPU of the benchmark's row counts in PostgreSQL, taken off PostgreSQL's figure. */
      pollCpuSeconds: landed.pollTicks / 100,
    });
  } finally {
    for (const s of services) await stopService(s);
    if (client) await deleteConnectors(ctx, client, connectors);
    await dropSchema(ctx.databaseUrl, schema, ctx.log);
    await deletePrefixTopics(ctx.kafka, prefix);
  }
}

interface FloorChild {
  role: string;
  ready: Promise<void>;
  /** Resolves when the process says "done" (land: its last COPY committed). */
  done: Promise<void>;
  final: Promise<Record<string, unknown>>;
  send: (line: string) => void;
  kill: () => void;
}

function startFloor(name: string, options: FloorOptions): FloorChild {
  const child = spawn(process.execPath, ['--import', 'tsx', FLOOR_MAIN, JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  let onDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (onDone = resolve));
  const final = new Promise<Record<string, unknown>>((resolve, reject) => {
    let last: Record<string, unknown> | undefined;
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line === 'ready') onReady();
      else if (line === 'done') onDone();
      else if (line.startsWith('{')) last = JSON.parse(line) as Record<string, unknown>;
    });
    child.on('exit', (code) => {
      if (last?.ok) resolve(last);
      else
        reject(
          new OrderflowError(
            'ORDERFLOW_USAGE',
            `floor ${name} exited ${code}: ${String(last?.error ?? stderr.slice(-800))}`,
          ),
        );
    });
  });
  final.catch(() => undefined);
  return {
    role: name,
    ready,
    done,
    final,
    send: (line) => child.stdin!.write(`${line}\n`),
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** Each order's split records, grouped under its order id (split.* hold them in split order). */
function splitGroups(input: BenchInput): RecordGroup[] {
  const groups: RecordGroup[] = [];
  let item = 0;
  for (let i = 0; i < input.split.orders.length; i++) {
    const order = input.split.orders[i]!;
    const records = [
      { topic: 0, ...order },
      { topic: 1, ...input.split.customers[i]! },
    ];
    for (let k = 0; k < input.itemsPerSplitOrder[i]!; k++)
      records.push({ topic: 2, ...input.split.orderItems[item++]! });
    groups.push({ key: order.key, records });
  }
  return groups;
}

/** The floor: the same orders through the same five hops by the raw client, landed with COPY. */
async function runFloor(
  ctx: BenchContext,
  input: BenchInput,
  deadline: number,
  print: (line: string) => void,
): Promise<SustainedSide> {
  const n = input.orders;
  const prefix = `bench_${ctx.runId}_floor_`;
  const schema = `bench_${ctx.runId}_floor`;
  const hops = ['unpaid', 'paid', 'shipped', 'finished'].map((t) => `${prefix}${t}`);
  const split = ['orders', 'customers', 'order_items'].map((t) => `${prefix}${t}`);
  const tables = split.map((_, i) => `${quoteIdent(schema)}.${['orders', 'customers', 'order_items'][i]}`);
  const records = input.split.orders.length + input.split.customers.length + input.split.orderItems.length;
  const dir = mkdtempSync(path.join(tmpdir(), 'orderflow-floor-'));
  const children: FloorChild[] = [];
  const pgc = new pg.Client({ connectionString: ctx.databaseUrl });
  await pgc.connect();
  try {
    await createTopics(ctx.kafka, [...hops, ...split]);
    // Keyed like the landing tables (orders and lines by their id); customers repeat: no key.
    await pgc.query(`create schema ${quoteIdent(schema)}`);
    await pgc.query(`create table ${tables[0]} (k text primary key, v bytea not null)`);
    await pgc.query(`create table ${tables[1]} (k text not null, v bytea not null)`);
    await pgc.query(`create table ${tables[2]} (k text primary key, v bytea not null)`);
    const ordersFile = path.join(dir, 'orders.bin');
    writeFileSync(
      ordersFile,
      encodeGroups(
        input.stages.payment.input.map((m) => ({
          key: m.key,
          records: [{ topic: 0, key: m.key, value: m.value }],
        })),
      ),
    );
    const splitFile = path.join(dir, 'split.bin');
    writeFileSync(splitFile, encodeGroups(splitGroups(input)));
    const base = {
      bootstrap: ctx.kafka.bootstrap,
      partitions: ctx.kafka.partitions,
      batchSize: ctx.batchSize,
      timeoutMs: Math.max(10_000, deadline - Date.now()),
    };
    children.push(
      startFloor('land', {
        ...base,
        role: 'land',
        topics: split,
        tables,
        databaseUrl: ctx.databaseUrl,
        group: `${prefix}land`,
        expected: records,
      }),
      startFloor('split hop', {
        ...base,
        role: 'fanout',
        input: hops[3],
        topics: split,
        file: splitFile,
        group: `${prefix}split`,
        expected: n,
      }),
    );
    for (const [i, name] of ['payment hop', 'shipping hop', 'delivery hop'].entries()) {
      children.push(
        startFloor(name, {
          ...base,
          role: 'pass',
          input: hops[i],
          output: hops[i + 1],
          group: `${prefix}pass${i}`,
          expected: n,
        }),
      );
    }
    const producer = startFloor('produce', {
      ...base,
      role: 'produce',
      output: hops[0],
      file: ordersFile,
      expected: n,
    });
    children.push(producer);
    await Promise.race([
      Promise.all(children.map((c) => c.ready)),
      ...children.map((c) =>
        c.final.then(() => Promise.reject(new Error(`floor ${c.role} ended before ready`))),
      ),
    ]);
    // Give the consumers' group joins a moment to settle before the first record arrives.
    await sleep(3_000);
    const watched = stackWatched(['kafka', 'postgres']);
    const before = readTicks(watched);
    const loadBefore = loadAverage()[0]!;
    const started = performance.now();
    print(`floor: ${children.length} hop processes ready; producing ${n} orders`);
    producer.send('go');
    await Promise.race([children[0]!.done, children[0]!.final]);
    const at = performance.now();
    const after = readTicks(watched);
    const loadAfter = loadAverage()[0]!;
    const results = await Promise.all(children.map((c) => c.final));
    const landResult = results[0]!;
    const seconds = (at - started) / 1000;
    const own = children.map((c, i) => {
      const r = results[i]!;
      return { name: `floor ${c.role}`, ticks: Number(r.doneTicks) - Number(r.readyTicks) };
    });
    const processes = cpuOverWindow(
      [...before, ...own.map((o) => ({ name: o.name, ticks: 0 }))],
      [...after, ...own],
      n,
      seconds,
    );
    const counts = await countRows(pgc, tables);
    const hopCounts = results.map((r) => Number(r.records));
    const exact =
      counts[0] === input.split.orders.length &&
      counts[1] === input.split.customers.length &&
      counts[2] === input.split.orderItems.length &&
      Number(landResult.records) === records &&
      hopCounts.slice(1).every((c) => c === n);
    const passes = results.slice(2, 5).map((r) => Number(r.meanTransactionMs));
    return side(
      n,
      seconds,
      processes,
      (counts[0]! + counts[1]! + counts[2]!) / n,
      exact,
      [loadBefore, loadAfter],
      exact ? undefined : `landed ${counts.join('/')}, hops ${hopCounts.join('/')}`,
      {
        meanTransactionMsPerHop: passes.map((x) => x.toFixed(1)).join(' / '),
        splitHopMeanTransactionMs: Number(results[1]!.meanTransactionMs).toFixed(1),
        copies: Number(landResult.copies),
      },
    );
  } finally {
    for (const c of children) c.kill();
    await pgc.query(`drop schema if exists ${quoteIdent(schema)} cascade`).catch(() => undefined);
    await pgc.end().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    await deletePrefixTopics(ctx.kafka, prefix);
  }
}

export async function runSustained(
  conn: Connections,
  o: SustainedOptions,
  log: Logger,
  print: (line: string) => void,
): Promise<SustainedResult> {
  const startedAt = new Date();
  const deadline = Date.now() + o.maxMinutes * 60_000;
  const loadBefore = loadAverage();
  const built = performance.now();
  const input = await inputFor(conn.registryUrl, o.seed, o.orders);
  print(
    `input (seed ${o.seed}): ${input.orders} orders, ${input.items} lines, built in ${((performance.now() - built) / 1000).toFixed(1)} s`,
  );
  const ctx = context(conn, o, input, log);
  const chain = await runChain(ctx, input, deadline, print);
  print(
    `chain: ${chain.ordersPerSecond.toLocaleString('en-US')} orders/s, ${chain.totalMicrosPerOrder} CPU-µs per order${chain.valid ? '' : ` INVALID (${chain.note})`}`,
  );
  let floor: SustainedSide | null = null;
  if (o.floor) {
    try {
      floor = await runFloor(ctx, input, deadline, print);
      print(
        `floor: ${floor.ordersPerSecond.toLocaleString('en-US')} orders/s, ${floor.totalMicrosPerOrder} CPU-µs per order${floor.valid ? '' : ` INVALID (${floor.note})`}`,
      );
    } catch (error) {
      print(`floor: failed: ${describeError(error)}`);
    }
  }
  return {
    kind: 'sustained',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    orders: o.orders,
    seed: o.seed,
    batchSize: o.batchSize,
    partitions: o.partitions,
    chain,
    floor,
    ratio:
      floor && floor.totalMicrosPerOrder > 0
        ? Math.round((chain.totalMicrosPerOrder / floor.totalMicrosPerOrder) * 100) / 100
        : null,
    loadBefore,
    loadAfter: loadAverage(),
    machine: { ...machineInfo() },
    versions: { ...(await versions(conn.databaseUrl)) },
  };
}
