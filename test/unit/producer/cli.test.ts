import { setTimeout as sleep } from 'node:timers/promises';
/**
 * `orderflow generate` as a user runs it: bad input gives a clear message, a non-zero exit and no
 * stack trace; --dry-run writes JSON lines without any broker; an unreachable broker gives up
 * after the retry budget with ORDERFLOW_BROKER_UNAVAILABLE.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../../bin/orderflow.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'orderflow-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function generate(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, 'generate', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const noStack = (text: string): void => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('orderflow generate: bad input', () => {
  it.each([
    [['--bogus'], /unknown option '--bogus'/],
    [['--mode', 'sideways'], /Allowed choices are backfill, live/],
    [
      ['--from', '2025-05-01', '--until', '2025-01-01', '--dry-run'],
      /--from 2025-05-01T00:00:00.000Z must be before --until/,
    ],
    [['--count', '-5', '--dry-run'], /--count "-5" is not valid: use an integer of at least 0/],
    [['--seed', '-1', '--dry-run'], /--seed "-1" \(ORDERFLOW_SEED\) is not valid: an integer of at least 0/],
    [['--prefix', 'x_'], /unknown option '--prefix'/],
  ])('%j exits non-zero with a clear message', (args, message) => {
    const r = generate(args);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
    noStack(r.stderr);
    expect(r.stdout).toBe('');
  });

  it('an unreachable broker: retries within the budget, then ORDERFLOW_BROKER_UNAVAILABLE', () => {
    const r = generate(['--count', '5'], {
      ORDERFLOW_KAFKA_BOOTSTRAP: '127.0.0.1:9', // discard port: nothing listens there
      ORDERFLOW_GENERATOR_RETRY_BUDGET_MS: '4000',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /Kafka at 127\.0\.0\.1:9 did not answer after \d+ tries in [45]\.\d s.*is it running.*\[ORDERFLOW_BROKER_UNAVAILABLE\]/,
    );
    // The last try's cause is the broker's, not a client reused from an earlier try.
    expect(r.stderr).toMatch(/[Tt]ransport failure|[Cc]onnection refused|[Tt]imed out/);
    expect(r.stderr).not.toMatch(/already been called/);
    noStack(r.stderr);
  });
});

describe('orderflow generate --dry-run', () => {
  it('writes JSON lines to a file, the same bytes for the same seed', () => {
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    const args = ['--dry-run', '--seed', '7', '--count', '500', '--from', '2025-01-01'];
    const r = generate([...args, '--out', a]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/generate: 500 orders, \d+ orders\/s, simulated 2025-.*\(done\)/);
    expect(generate([...args, '--out', b]).code).toBe(0);
    const text = readFileSync(a, 'utf8');
    expect(readFileSync(b, 'utf8')).toBe(text);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(500);
    const first = JSON.parse(lines[0]!) as { order_date: string; order_total: string };
    expect(first.order_date).toBe('2025-01-01T00:00:00.000Z');
    expect(first.order_total).toMatch(/^\d+\.\d{2}$/);
  });

  it('ORDERFLOW_SEED seeds it as --seed does, and --seed wins over it; seed 0 is a seed', () => {
    const args = ['--dry-run', '--count', '3', '--from', '2025-01-01'];
    const bySeed = (seed: string) => generate([...args, '--seed', seed]);
    const seven = bySeed('7');
    expect(seven.code).toBe(0);
    expect(generate(args, { ORDERFLOW_SEED: '7' }).stdout).toBe(seven.stdout);
    expect(generate([...args, '--seed', '7'], { ORDERFLOW_SEED: '8' }).stdout).toBe(seven.stdout);
    expect(generate(args).stdout).not.toBe(seven.stdout);
    const zero = bySeed('0');
    expect(zero.code).toBe(0);
    expect(zero.stdout).not.toBe(seven.stdout);
    const bad = generate(args, { ORDERFLOW_SEED: '-1' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/ORDERFLOW_SEED="-1" is not valid.*\[ORDERFLOW_CONFIG_INVALID\]/);
  });

  it('writes to stdout with --out - and stops at --until', () => {
    const r = generate([
      '--dry-run',
      '--seed',
      '3',
      '--from',
      '2025-03-01',
      '--until',
      '2025-03-03',
      '--out',
      '-',
    ]);
    expect(r.code).toBe(0);
    const dates = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { order_date: string }).order_date);
    expect(dates.length).toBeGreaterThan(10);
    expect(dates.every((d) => d >= '2025-03-01' && d < '2025-03-03')).toBe(true);
  });
});

describe('orderflow generate: SIGTERM', () => {
  it('live mode stops on SIGTERM, flushes every line it generated and exits 0', async () => {
    const out = join(dir, 'live.jsonl');
    const child = spawn(
      process.execPath,
      [BIN, 'generate', '--dry-run', '--mode', 'live', '--speed', '36000', '--seed', '5', '--out', out],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no progress line; stderr: ${stderr}`)), 45_000);
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        // the first progress line: the run is under way and has written orders
        if (/generate: [1-9]\d* orders/.test(stderr)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    // Live output streams: lines reach the file while the run is waiting for the next order.
    for (let i = 0; i < 100 && !(existsSync(out) && readFileSync(out, 'utf8').includes('\n')); i++) {
      await sleep(100);
    }
    expect(readFileSync(out, 'utf8')).toMatch(/^\{"order_id":/);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const final = /generate: (\d+) orders, .*\(stopped\)/.exec(stderr);
    expect(final).not.toBeNull();
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(Number(final![1]));
    for (const l of lines) expect(() => JSON.parse(l) as unknown).not.toThrow();
  });
});
