/**
 * The generator killed and re-run, and two generators at once, on the real broker: each order of a
 * run reaches unpaid_orders exactly once (records = distinct ids = the run's count, and the same ids
 * as the dry run of the same seed and window).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Order } from '../../../schemas/types.generated.ts';
import { ORDERFLOW_BIN, createTopics, deleteTopics, uniquePrefix } from '../helpers.ts';
import { readTopics } from '../processors/pipeline.ts';
import { runOrderflow } from '../services.ts';

const SEED = 77;
const FROM = '2025-02-01';

/** `orderflow <args>` to its end, logging errors only. */
const orderflow = (args: string[]) => runOrderflow(args, { ORDERFLOW_LOG_LEVEL: 'error' });

function startGenerate(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [ORDERFLOW_BIN, 'generate', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ORDERFLOW_LOG_LEVEL: 'error', ...env },
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

/** Resolves once the generator's progress line shows committed orders (or it exits). */
async function untilAcknowledged(g: { child: ChildProcess; stderr: () => string }, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const acked = [...g.stderr().matchAll(/, (\d+) acknowledged/g)].map((m) => Number(m[1]));
    if (acked.some((n) => n > 0) || g.child.exitCode !== null) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no acknowledged orders within ${timeoutMs} ms: ${g.stderr()}`);
}

async function topicKeys(topic: string, expected: number): Promise<string[]> {
  const read = await readTopics([topic], (r) => r.get(topic)!.length >= expected, {
    timeoutMs: 90_000,
    settleMs: 3000,
  });
  return read.get(topic)!.map((r) => r.key);
}

/** The order ids the dry run of the same seed and window prints (through a file: 80 MB for 60k). */
function dryRunIds(args: string[]): string[] {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'orderflow-dry-')), 'orders.jsonl');
  const dry = orderflow(['generate', ...args, '--dry-run', '--out', out]);
  expect(dry.code, dry.stderr).toBe(0);
  return readFileSync(out, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => (JSON.parse(l) as Order).order_id);
}

describe('generator faults: kill -9 and re-run, two at once', () => {
  const prefixes: string[] = [];
  const fresh = async (tag: string) => {
    const p = uniquePrefix(tag);
    prefixes.push(p);
    await createTopics(p, 3);
    return p;
  };
  afterAll(async () => {
    for (const p of prefixes) await deleteTopics(p);
  });
  /** A run of `count` orders on a fresh prefix, paced at `rate` orders/s, once it has committed some. */
  const pacedRun = async (tag: string, count: number, rate: number) => {
    const prefix = await fresh(tag);
    const args = ['--seed', String(SEED), '--count', String(count), '--from', FROM, '--topic-prefix', prefix];
    const first = startGenerate([...args, '--rate', String(rate)]);
    await untilAcknowledged(first);
    return { prefix, args, first };
  };
  /** unpaid_orders of `prefix` holds `count` records, each order once. */
  const expectEachOnce = async (prefix: string, count: number) => {
    const keys = await topicKeys(`${prefix}unpaid_orders`, count);
    expect([keys.length, new Set(keys).size]).toEqual([count, count]);
  };

  it('kill -9 mid-run, then the same command again: every order exactly once', async () => {
    // Paced to 4 s, so that the kill after the first progress line (2 s) lands mid-run.
    const { prefix, args, first } = await pacedRun('genkill', 60_000, 15_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const killedAt = Math.max(
      ...[...first.stderr().matchAll(/, (\d+) acknowledged/g)].map((m) => Number(m[1])),
    );
    expect(killedAt).toBeLessThan(60_000); // it was really killed mid-run

    const again = orderflow(['generate', ...args]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/has \d+ orders committed .*going on after them/);
    const resumedAfter = Number(/has (\d+) orders committed/.exec(again.stderr)![1]);
    expect(resumedAfter).toBeGreaterThanOrEqual(killedAt);

    const keys = await topicKeys(`${prefix}unpaid_orders`, 60_000);
    expect(keys.length).toBe(60_000);
    expect(new Set(keys).size).toBe(60_000);
    const expectedIds = dryRunIds(['--seed', String(SEED), '--count', '60000', '--from', FROM]);
    expect(new Set(keys)).toEqual(new Set(expectedIds));

    // A third run of the finished command has nothing left to do.
    const third = orderflow(['generate', ...args]);
    expect(third.code).toBe(0);
    expect(third.stderr).toMatch(/generate: 0 orders, 0 acknowledged/);
  }, 300_000);

  it('without --from, a re-run goes on with the same run (a stable default window)', async () => {
    const prefix = await fresh('gendefault');
    const a = orderflow(['generate', '--seed', String(SEED), '--count', '3000', '--topic-prefix', prefix]);
    expect(a.code, a.stderr).toBe(0);
    const b = orderflow(['generate', '--seed', String(SEED), '--count', '5000', '--topic-prefix', prefix]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toMatch(/has 3000 orders committed/);
    expect(b.stderr).toMatch(/generate: 2000 orders, 2000 acknowledged/);
    await expectEachOnce(prefix, 5000);
  }, 240_000);

  it('a second generator on the same machine is refused with the first one pid', async () => {
    // Paced, so that it is still running when the second one starts.
    const { prefix, args, first } = await pacedRun('genlock', 60_000, 10_000);
    const second = orderflow(['generate', ...args]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('[ORDERFLOW_GENERATOR_RUNNING]');
    expect(second.stderr).toContain(`pid ${first.child.pid}`);
    expect(await first.exited).toBe(0);
    await expectEachOnce(prefix, 60_000);
  }, 240_000);

  it('a second generator elsewhere (no shared lock) fences the first, which stops: each order once', async () => {
    const { prefix, args, first } = await pacedRun('genfence', 120_000, 10_000);
    // Another ORDERFLOW_HOME stands for another machine: only the transactional id is shared.
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'orderflow-home-'));
    const second = startGenerate(args, { ORDERFLOW_HOME: elsewhere });
    const [firstCode, secondCode] = await Promise.all([first.exited, second.exited]);
    expect(secondCode, second.stderr()).toBe(0);
    // Paced to 12 s, the first was still producing when the second connected.
    expect(firstCode).toBe(1);
    expect(first.stderr()).toContain('[ORDERFLOW_GENERATOR_REPLACED]');
    expect(second.stderr()).toMatch(/has \d+ orders committed/);
    await expectEachOnce(prefix, 120_000);
  }, 300_000);
});
