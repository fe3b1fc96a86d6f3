/**
 * Fault injection on the local stack for the fault tests: kill, stop, freeze and restore one
 * component through the stack's own start code and pid files (never by process name). Every test
 * that breaks a component restores it in a `finally`/afterAll, so a failing test leaves the stack up.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Component } from '../../../stack/components.ts';
import { isAlive } from '../../../stack/process.ts';
import { loadStack } from '../../../stack/stack.ts';

export type ComponentName = 'postgres' | 'kafka' | 'registry' | 'connect';

export function component(name: ComponentName): Component {
  const c = loadStack().components.find((x) => x.name === name);
  if (!c) throw new Error(`no stack component ${name}`);
  return c;
}

/** SIGKILL the component's process (as a crash would) and wait until it is gone. */
export async function kill9(name: ComponentName): Promise<void> {
  const c = component(name);
  const pid = c.pid();
  if (pid === undefined) throw new Error(`${name} is not running under this stack (no pid): cannot kill it`);
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 100 && isAlive(pid) && !isZombie(pid); i++) await sleep(100);
  if (isAlive(pid) && !isZombie(pid)) throw new Error(`${name} (pid ${pid}) survived SIGKILL`);
}

/** The PostgreSQL postmaster and its backends: SIGSTOP/SIGCONT must reach all of them. */
function withChildren(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return [pid, ...children];
}

/** Freeze (SIGSTOP) a component's process and its children; returns the thaw function. */
export function freeze(name: ComponentName): () => void {
  const pid = component(name).pid();
  if (pid === undefined) throw new Error(`${name} is not running: cannot freeze it`);
  const pids = withChildren(pid);
  for (const p of pids) process.kill(p, 'SIGSTOP');
  return () => {
    for (const p of pids) {
      try {
        process.kill(p, 'SIGCONT');
      } catch {
        // gone
      }
    }
  };
}

/** Start the component if it is not healthy (with the stack's own start code) and wait for it. */
export async function restore(name: ComponentName, timeoutMs = 240_000): Promise<void> {
  const c = component(name);
  if (await c.healthy()) return;
  if (c.pid() === undefined) await c.start();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await c.healthy()) return;
    await sleep(500);
  }
  throw new Error(`${name} not healthy ${timeoutMs / 1000} s after restarting it (log ${c.logFile})`);
}

function isZombie(pid: number): boolean {
  try {
    return /^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
