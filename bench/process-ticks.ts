/**
 * CPU ticks of the processes a sustained run watches, read from /proc: a process alone, a process
 * with its children (PostgreSQL's backends split by role), and this process's reaped children.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { parseStat, postgresTicks, treeTicks, type StatTimes, type TickReading } from './cpu-account.ts';
import { stackProcesses, type WatchedProcess } from './resources.ts';

export interface Watched extends WatchedProcess {
  /** Count live children and reaped children too (PostgreSQL's backends). */
  tree?: boolean;
}

export function processStat(pid: number): StatTimes | undefined {
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
    const root = processStat(w.pid);
    if (!root) continue;
    if (w.tree && w.name === 'postgres') {
      const children = childPids(w.pid).flatMap((pid) => {
        const times = processStat(pid);
        return times ? [{ times, cmdline: cmdline(pid) }] : [];
      });
      out.push(...postgresTicks(root, children));
      continue;
    }
    const ticks = w.tree
      ? treeTicks(
          root,
          childPids(w.pid)
            .map(processStat)
            .filter((s): s is StatTimes => s !== undefined),
        )
      : root.own;
    out.push({ name: w.name, ticks });
  }
  return out;
}

/** The broker, Connect, the registry and PostgreSQL (with its backends) of the local stack. */
export function stackWatched(names: readonly string[]): Watched[] {
  return stackProcesses()
    .filter((p) => names.includes(p.name))
    .map((p) => ({ ...p, tree: p.withChildren === true }));
}

/** This process's reaped children's ticks (cutime + cstime): where an exited generator's CPU goes. */
export function reapedTicks(): number {
  return processStat(process.pid)?.reaped ?? 0;
}
