/**
 * One `stack up` at a time per ORDERFLOW_HOME (stack/lock.ts), on the running local stack: a second
 * one waits for the holder of the lock and then finds every component running; a lock left by a
 * holder killed with -9 goes stale and is taken over.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, utimesSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import { describe, expect, it } from 'vitest';
import { stackLockPath } from '../../../stack/lock.ts';
import { loadStack } from '../../../stack/stack.ts';
import { ORDERFLOW_BIN } from '../helpers.ts';

const lockFile = stackLockPath(loadStack().paths.run);

/** `orderflow stack up --no-topics` in the background: its output so far, and its exit. */
function stackUp() {
  const child = spawn(process.execPath, [ORDERFLOW_BIN, 'stack', 'up', '--no-topics'], {
    env: { ...process.env, ORDERFLOW_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { output: () => out, exited, running: () => child.exitCode === null };
}

describe('the stack lock', () => {
  it('a stack up started while another holds the lock waits for it, then finds the stack running', async () => {
    const release = await lockfile.lock(lockFile, { realpath: false, stale: 20_000 });
    let up: ReturnType<typeof stackUp>;
    try {
      up = stackUp();
      const deadline = Date.now() + 30_000;
      while (!up.output().includes('waiting: another orderflow stack up') && Date.now() < deadline)
        await sleep(100);
      expect(up.output()).toContain('waiting: another orderflow stack up or down is at work on this stack');
      await sleep(2_000);
      // Still held: it has not touched a component.
      expect(up.running()).toBe(true);
      expect(up.output()).not.toContain('already running');
    } finally {
      await release();
    }
    expect(await up.exited, up.output()).toBe(0);
    expect(up.output()).toMatch(/kafka\s+already running/);
  }, 120_000);

  it('a lock left by a holder killed with -9 goes stale and the next stack up takes it over', async () => {
    // What a killed holder leaves: the lock directory, no longer refreshed.
    mkdirSync(`${lockFile}.lock`, { recursive: true });
    const past = new Date(Date.now() - 60_000);
    utimesSync(`${lockFile}.lock`, past, past);
    const up = stackUp();
    expect(await up.exited, up.output()).toBe(0);
    expect(up.output()).not.toContain('waiting:');
    expect(up.output()).toMatch(/kafka\s+already running/);
  }, 120_000);
});
