/**
 * A 100,000-order backfill through everything, as an operator runs it: `orderflow generate` into
 * unpaid_orders, the three stages and the splitter as child processes, the JDBC sinks into a fresh
 * warehouse schema. It ends when every order is a row in PostgreSQL, then holds the exact counts
 * (records against distinct keys in the split topics, rows, nothing dead-lettered) and passes
 * `orderflow reconcile` and `orderflow warehouse check`, as the CLI reports them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDERFLOW_BIN, log } from '../helpers.ts';
import { startLanding, type LandingPipeline } from '../landing/landing-fixture.ts';
import { readTopics } from '../processors/pipeline.ts';
import { rowCounts } from './landing-counts.ts';

const ORDERS = 100_000;
const env = { ...process.env, ORDERFLOW_LOG_LEVEL: 'warn' };

function orderflow(args: string[], timeoutMs = 300_000) {
  const r = spawnSync(process.execPath, [ORDERFLOW_BIN, ...args], {
    encoding: 'utf8',
    env,
    timeout: timeoutMs,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

let p: LandingPipeline;
const services: ChildProcess[] = [];

beforeAll(async () => {
  p = await startLanding('bf100k', { splitter: false });
  const common = ['--topic-prefix', p.prefix, '--port', '0'];
  for (const stage of ['payment', 'shipping', 'delivery'])
    services.push(
      spawn(process.execPath, [ORDERFLOW_BIN, 'process', stage, '--speed', '0', '--seed', '3', ...common], {
        env,
        stdio: 'ignore',
      }),
    );
  services.push(
    spawn(process.execPath, [ORDERFLOW_BIN, 'split', '--topic-prefix', p.prefix], { env, stdio: 'ignore' }),
  );
});

afterAll(async () => {
  for (const s of services) s.kill('SIGTERM');
  await Promise.all(services.map((s) => new Promise((resolve) => s.once('exit', resolve))));
  await p?.close();
});

describe('a 100,000-order backfill through everything', () => {
  it('lands every order once, and reconcile and the warehouse checks pass', async () => {
    const started = Date.now();
    const gen = orderflow([
      'generate',
      '--seed',
      '3',
      '--count',
      String(ORDERS),
      '--from',
      '2025-01-01',
      '--topic-prefix',
      p.prefix,
    ]);
    expect(gen.code, gen.out).toBe(0);
    expect(gen.out).toContain(`generate: ${ORDERS} orders, ${ORDERS} acknowledged`);

    const deadline = Date.now() + 480_000;
    let rows = await rowCounts(p);
    while (rows.orders < ORDERS && Date.now() < deadline) {
      await sleep(2000);
      rows = await rowCounts(p).catch(() => rows);
    }
    const seconds = (Date.now() - started) / 1000;
    log.warn({ seconds, ordersPerSecond: Math.round(ORDERS / seconds) }, '100k backfill landed');
    expect(rows.orders).toBe(ORDERS);
    expect(services.every((s) => s.exitCode === null)).toBe(true);

    // Every split topic holds each key once; nothing was dead-lettered anywhere.
    const topics = ['orders', 'customers', 'order_items'].map((t) => p.prefix + t);
    const dlqs = ['unpaid_orders', 'paid_orders', 'shipped_orders', 'finished_orders', 'failed_orders']
      .map((t) => `${p.prefix}${t}.dlq`)
      .concat(`${p.prefix}orderflow_sink.dlq`);
    const read = await readTopics([...topics, ...dlqs], (r) => r.get(topics[0]!)!.length >= ORDERS, {
      timeoutMs: 180_000,
      settleMs: 2000,
    });
    const orders = read.get(topics[0]!)!;
    expect([orders.length, new Set(orders.map((r) => r.key)).size]).toEqual([ORDERS, ORDERS]);
    const items = read.get(topics[2]!)!;
    expect(items.length).toBe(new Set(items.map((r) => r.key)).size);
    const customers = new Set(read.get(topics[1]!)!.map((r) => r.key)).size;
    // The three sinks land at their own pace: wait for the other two tables too.
    const landedBy = Date.now() + 300_000;
    while ((rows.order_items < items.length || rows.customers < customers) && Date.now() < landedBy) {
      await sleep(2000);
      rows = await rowCounts(p).catch(() => rows);
    }
    expect(rows).toEqual({ orders: ORDERS, customers, order_items: items.length });
    for (const d of dlqs) expect(read.get(d)!.length, d).toBe(0);

    const reconcile = orderflow(['reconcile', '--topic-prefix', p.prefix, '--schema', p.schema]);
    expect(reconcile.code, reconcile.out).toBe(0);
    const check = orderflow(['warehouse', 'check', '--schema', p.schema]);
    expect(check.code, check.out).toBe(0);
  }, 900_000);
});
