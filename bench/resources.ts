/**
 * What the processes of a run cost: CPU ticks and peak RSS read from /proc/<pid>/stat and status,
 * the machine's load average, and the event-loop delay of this process.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { cpuPercent } from './stats.ts';
import type { ProcessUsage } from './types.ts';

/** USER_HZ: /proc reports CPU time in these ticks (100 on every Linux architecture orderflow runs on). */
const TICKS_PER_SECOND = 100;

export interface WatchedProcess {
  name: string;
  pid: number;
  /** Also count live children and reaped children (cutime/cstime): PostgreSQL's backends. */
  withChildren?: boolean;
}

function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: split after the last ')'.
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU ticks of a process (user + system); with children: plus reaped and live children. */
export function cpuTicks(pid: number, withChildren = false): number | undefined {
  const f = statFields(pid);
  if (!f) return undefined;
  // After the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
  let ticks = Number(f[11]) + Number(f[12]);
  if (!withChildren) return ticks;
  ticks += Number(f[13]) + Number(f[14]);
  for (const child of childPids(pid)) ticks += cpuTicks(child, false) ?? 0;
  return ticks;
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter((s) => s !== '')
      .map(Number);
  } catch {
    return [];
  }
}

/** Peak resident set size (VmHWM) in MiB; with children, the sum of the live ones' peaks. */
export function peakRssMiB(pid: number, withChildren = false): number | undefined {
  const read = (p: number): number | undefined => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : undefined;
    } catch {
      return undefined;
    }
  };
  const own = read(pid);
  if (own === undefined || !withChildren) return own;
  return childPids(pid).reduce((sum, c) => sum + (read(c) ?? 0), own);
}

export function loadAverage(): number[] {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  } catch {
    return [Number.NaN, Number.NaN, Number.NaN];
  }
}

/** The stack's state directory: $ORDERFLOW_HOME, else .orderflow in the checkout. */
export function stackHome(root = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  return env.ORDERFLOW_HOME ?? path.join(root, '.orderflow');
}

/** The stack's processes (Kafka, Connect, registry, PostgreSQL) from their pid files, if running. */
export function stackProcesses(root = process.cwd()): WatchedProcess[] {
  const run = path.join(stackHome(root), 'run');
  const found: WatchedProcess[] = [];
  for (const name of ['kafka', 'connect', 'registry']) {
    const file = path.join(run, `${name}.pid`);
    if (!existsSync(file)) continue;
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    if (Number.isFinite(pid) && cpuTicks(pid) !== undefined) found.push({ name, pid });
  }
  const pgFile = path.join(stackHome(root), 'data', 'postgres', 'postmaster.pid');
  if (existsSync(pgFile)) {
    const pid = Number.parseInt(readFileSync(pgFile, 'utf8').split('\n')[0] ?? '', 10);
    if (Number.isFinite(pid) && cpuTicks(pid) !== undefined)
      found.push({ name: 'postgres', pid, withChildren: true });
  }
  return found;
}

/** Flink's JobManager and TaskManager of the local stack (ORDERFLOW_FLINK=on), from their pid files. */
export function flinkProcesses(root = process.cwd()): WatchedProcess[] {
  const found: WatchedProcess[] = [];
  for (const name of ['flink-jm', 'flink-tm']) {
    const file = path.join(stackHome(root), 'run', `${name}.pid`);
    if (!existsSync(file)) continue;
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    if (Number.isFinite(pid) && cpuTicks(pid) !== undefined) found.push({ name, pid });
  }
  return found;
}

/**
 * A measurement window over a set of processes: `start()` notes their CPU ticks, `stop()` turns the
 * difference into percent of one core, with each process's peak RSS.
 */
export class UsageWindow {
  private startTicks = new Map<number, number>();
  private startedAt = 0;
  private loadBefore = 0;

  constructor(private readonly processes: () => WatchedProcess[]) {}

  start(): void {
    this.startedAt = performance.now();
    this.loadBefore = loadAverage()[0]!;
    this.startTicks = new Map();
    for (const p of this.processes()) {
      const t = cpuTicks(p.pid, p.withChildren);
      if (t !== undefined) this.startTicks.set(p.pid, t);
    }
  }

  /** Close the window; a process that started after start() counts from zero ticks. */
  stop(): { usage: ProcessUsage[]; load: [number, number] } {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const usage: ProcessUsage[] = [];
    for (const p of this.processes()) {
      const t = cpuTicks(p.pid, p.withChildren);
      if (t === undefined) continue;
      const before = this.startTicks.get(p.pid) ?? 0;
      usage.push({
        name: p.name,
        pid: p.pid,
        cpuPercent: round1(cpuPercent(t - before, TICKS_PER_SECOND, seconds)),
        cpuSeconds: Math.round(((t - before) / TICKS_PER_SECOND) * 100) / 100,
        peakRssMiB: round1(peakRssMiB(p.pid, p.withChildren) ?? Number.NaN),
      });
    }
    return { usage, load: [this.loadBefore, loadAverage()[0]!] };
  }
}

/** Event-loop delay of this process over a window, p99 in ms. */
export class LoopDelay {
  private histogram: IntervalHistogram | undefined;

  start(): void {
    this.histogram?.disable();
    this.histogram = monitorEventLoopDelay({ resolution: 10 });
    this.histogram.enable();
  }

  stop(): number {
    const h = this.histogram;
    if (!h) return Number.NaN;
    h.disable();
    this.histogram = undefined;
    return round1(h.percentile(99) / 1e6);
  }
}

export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
