/**
 * The floor side of `orderflow bench sustained`: the same N orders' bytes through the same five hops
 * by the raw client with no application logic (produce; three transactional pass-throughs; a
 * transactional fan-out to each order's pre-encoded split records) and landed with COPY, each hop a
 * process of its own (floor-process.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { quoteIdent } from '../common/database.ts';
import { OrderflowError } from '../common/errors.ts';
import { cpuOverWindow } from './cpu-account.ts';
import { sideNames, sustainedSide, type RunSide } from './sustained-side.ts';
import type { FloorOptions } from './floor-process.ts';
import type { BenchInput } from './input.ts';
import { createTopics, deletePrefixTopics } from './kafka-io.ts';
import { encodeGroups, type RecordGroup } from './message-file.ts';
import { countRows } from './postgres-io.ts';
import { readTicks, stackWatched } from './process-ticks.ts';
import { loadAverage } from './resources.ts';

const FLOOR_MAIN = fileURLToPath(new URL('./floor-process.ts', import.meta.url));

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
export const runFloor: RunSide = async (ctx, input, deadline, print) => {
  const n = input.orders;
  const { prefix, schema } = sideNames(ctx, 'floor');
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
    return sustainedSide(
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
};
