/**
 * The chain side of `orderflow bench sustained`: fresh topics and schema, the three stages and the
 * splitter started, the sink connectors deployed, then the real `orderflow generate` backfill of N
 * orders. The window runs from the generator's start to the last row committed in PostgreSQL, then
 * `reconcile` must pass.
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { quoteIdent } from '../common/database.ts';
import { OrderflowError } from '../common/errors.ts';
import { runReconcile } from '../connect/reconcile.ts';
import { ORDERFLOW_BIN, startSplitterProcess, stopService, type ServiceProcess } from './children.ts';
import { cpuOverWindow, type TickReading } from './cpu-account.ts';
import { sideNames, sustainedSide, type RunSide } from './sustained-side.ts';
import { INPUT_FROM } from './input.ts';
import { deletePrefixTopics } from './kafka-io.ts';
import { countRows, dropSchema } from './postgres-io.ts';
import { processStat, reapedTicks, readTicks, stackWatched, type Watched } from './process-ticks.ts';
import { loadAverage } from './resources.ts';
import { deleteConnectors, deployConnectors, prepareChain, Probe } from './systems/index.ts';
import { startStageInstances } from './systems/stages.ts';

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
  const startTicks = processStat(backend)?.own ?? 0;
  const pollTicks = () => {
    const ticks = (processStat(backend)?.own ?? startTicks) - startTicks;
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

/** The chain under a backfill of N orders: started cold, ended at the last landed row. */
export const runChain: RunSide = async (ctx, input, deadline, print) => {
  const n = input.orders;
  const { prefix, schema } = sideNames(ctx, 'sus');
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
    return sustainedSide(
      n,
      seconds,
      processes,
      rowsHeld / n,
      exact && reconciled,
      [loadBefore, loadAfter],
      note,
      {
        rowsHeld,
        recordsSunkPerOrder: Math.round(((2 * n + want.orderItems) / n) * 1000) / 1000,
        reconciled: reconciled ? 'yes' : 'no',
        /** CPU of the benchmark's row counts in PostgreSQL, taken off PostgreSQL's figure. */
        pollCpuSeconds: landed.pollTicks / 100,
      },
    );
  } finally {
    for (const s of services) await stopService(s);
    if (client) await deleteConnectors(ctx, client, connectors);
    await dropSchema(ctx.databaseUrl, schema, ctx.log);
    await deletePrefixTopics(ctx.kafka, prefix);
  }
};
