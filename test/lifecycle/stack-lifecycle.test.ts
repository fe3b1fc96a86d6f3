import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ORDERFLOW_BIN } from '../integration/helpers.ts';
import { loadStack } from '../../stack/stack.ts';
import { components } from '../../stack/components.ts';
import { postgresPaths } from '../../stack/postgres.ts';

/**
 * The stack's own life cycle. Runs after the integration tier (it stops the stack they use) and
 * leaves the stack running again at the end.
 */
async function orderflow(...args: string[]): Promise<{ code: number | null; out: string }> {
  // Asynchronous on purpose: a `stack up` can take over a minute, and a worker blocked that long
  // in spawnSync misses vitest's own calls ("Timeout calling onTaskUpdate"), which fails the run.
  const child = spawn(process.execPath, [ORDERFLOW_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 10 * 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, out };
}

/** Every process on the machine that belongs to this stack: its command line names the stack's home. */
function stackProcesses(): string[] {
  const { paths } = loadStack();
  const pgData = postgresPaths(paths).dataDir;
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue;
    }
    if (cmdline.includes(paths.home + '/') || cmdline.includes(pgData)) found.push(`${entry}: ${cmdline}`);
  }
  return found;
}

describe('orderflow stack', () => {
  it('up twice in a row is harmless: the second run starts nothing and keeps the same processes', async () => {
    const first = await orderflow('stack', 'up', '--no-topics');
    expect(first.code, first.out).toBe(0);
    const before = JSON.parse((await orderflow('stack', 'status', '--json')).out) as {
      name: string;
      pid: number;
      healthy: boolean;
    }[];
    expect(before.every((c) => c.healthy)).toBe(true);

    const second = await orderflow('stack', 'up', '--no-topics');
    expect(second.code, second.out).toBe(0);
    // Every component `stack up` manages (FTP too, Flink's with ORDERFLOW_FLINK=on) says so, none starts.
    const { settings, paths } = loadStack();
    for (const c of components(settings, paths)) {
      expect(second.out).toMatch(new RegExp(`^${c.name}\\s+already running`, 'm'));
    }
    expect(second.out).not.toMatch(/starting \(log:|started earlier/);
    const after = JSON.parse((await orderflow('stack', 'status', '--json')).out) as {
      name: string;
      pid: number;
    }[];
    expect(after.map((c) => c.pid)).toEqual(before.map((c) => c.pid));
  });

  it('down leaves no process of the stack behind, and up brings it back', async () => {
    expect(stackProcesses().length).toBeGreaterThanOrEqual(4);
    const down = await orderflow('stack', 'down');
    expect(down.code, down.out).toBe(0);
    expect(stackProcesses()).toEqual([]);
    const status = await orderflow('stack', 'status');
    expect(status.code).toBe(3);

    const up = await orderflow('stack', 'up');
    expect(up.code, up.out).toBe(0);
    expect((await orderflow('stack', 'status')).code).toBe(0);
  });
});
