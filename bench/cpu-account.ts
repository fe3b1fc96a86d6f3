/**
 * CPU accounting of a sustained run, pure: /proc/<pid>/stat lines to CPU ticks, two snapshots of a
 * set of processes to each one's CPU over the window, CPU-microseconds per order, and the table
 * that BENCHMARKS.md leads with.
 */

/** USER_HZ: /proc reports CPU time in these ticks (100 on every Linux architecture orderflow runs on). */
export const TICKS_PER_SECOND = 100;

export interface StatTimes {
  ppid: number;
  /** utime + stime of the process itself (all its threads). */
  own: number;
  /** cutime + cstime: children it has waited for (PostgreSQL's exited backends). */
  reaped: number;
}

/**
 * The times of one /proc/<pid>/stat line. The command name is in parentheses and may hold spaces
 * and parentheses itself, so the fields are counted from the last ')'. Undefined for a line that is
 * not a stat line.
 */
export function parseStat(line: string): StatTimes | undefined {
  const close = line.lastIndexOf(')');
  if (close < 0) return undefined;
  // After the name: state(0) ppid(1) pgrp(2) ... utime(11) stime(12) cutime(13) cstime(14).
  const f = line
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const n = (i: number) => Number(f[i]);
  if (f.length < 15 || [1, 11, 12, 13, 14].some((i) => !Number.isFinite(n(i)))) return undefined;
  return { ppid: n(1), own: n(11) + n(12), reaped: n(13) + n(14) };
}

/** One process (or process tree) of the chain and its ticks at one instant. */
export interface TickReading {
  name: string;
  ticks: number;
}

/**
 * Ticks of a process tree from the stat lines of its root and its live children: the root's own
 * ticks, its reaped children's, and each live child's own. A child that exits between two
 * readings moves from "live" to "reaped" and keeps counting once, so the difference of two readings
 * is the tree's CPU over the window.
 */
export function treeTicks(root: StatTimes, children: readonly StatTimes[]): number {
  return root.own + root.reaped + children.reduce((s, c) => s + c.own, 0);
}

/** What a child of the postmaster is, from its process title (/proc/<pid>/cmdline). */
export type PostgresRole = 'backends' | 'autovacuum' | 'background';

/**
 * Client backends show "user database host(port) state" (or "[local]"); autovacuum workers and the
 * launcher say so; the rest (checkpointer, writers, launchers) is background.
 */
export function postgresRole(cmdline: string): PostgresRole {
  const title = cmdline.replaceAll('\0', ' ');
  if (/autovacuum/.test(title)) return 'autovacuum';
  if (/\(\d+\)|\[local\]/.test(title)) return 'backends';
  return 'background';
}

/**
 * PostgreSQL's ticks split by role: client backends (the sink's connections), autovacuum, the
 * postmaster with its background processes, and children that exited (reaped: ended backends and
 * autovacuum workers). A child that exits between two readings moves to "exited children": the
 * parts can shift between readings, their sum cannot.
 */
export function postgresTicks(
  root: StatTimes,
  children: readonly { times: StatTimes; cmdline: string }[],
): TickReading[] {
  const by: Record<PostgresRole, number> = { backends: 0, autovacuum: 0, background: root.own };
  for (const c of children) by[postgresRole(c.cmdline)] += c.times.own;
  return [
    { name: 'postgres backends', ticks: by.backends },
    { name: 'postgres autovacuum', ticks: by.autovacuum },
    { name: 'postgres background', ticks: by.background },
    { name: 'postgres exited children', ticks: root.reaped },
  ];
}

export interface ProcessCpu {
  name: string;
  /** CPU seconds over the window (user + system). */
  cpuSeconds: number;
  /** CPU-microseconds per order of the run. */
  microsPerOrder: number;
  /** Percent of one core over the window. */
  cpuPercent: number;
}

/**
 * Each process's CPU between two readings, per order. A process missing from `before` started in
 * the window and counts from zero; one missing from `after` is left out (it cannot be read).
 * Processes of the same name are summed (e.g. several instances of a stage).
 */
export function cpuOverWindow(
  before: readonly TickReading[],
  after: readonly TickReading[],
  orders: number,
  seconds: number,
  hz = TICKS_PER_SECOND,
): ProcessCpu[] {
  const start = new Map<string, number>();
  for (const r of before) start.set(r.name, (start.get(r.name) ?? 0) + r.ticks);
  const end = new Map<string, number>();
  for (const r of after) end.set(r.name, (end.get(r.name) ?? 0) + r.ticks);
  const out: ProcessCpu[] = [];
  for (const [name, ticks] of end) {
    const delta = Math.max(0, ticks - (start.get(name) ?? 0));
    const cpuSeconds = delta / hz;
    out.push({
      name,
      cpuSeconds: round(cpuSeconds, 2),
      microsPerOrder: orders > 0 ? Math.round((cpuSeconds * 1e6) / orders) : Number.NaN,
      cpuPercent: seconds > 0 ? round((cpuSeconds / seconds) * 100, 1) : Number.NaN,
    });
  }
  return out;
}

export function totalMicros(processes: readonly ProcessCpu[], orders: number): number {
  const seconds = processes.reduce((s, p) => s + p.cpuSeconds, 0);
  return orders > 0 ? Math.round((seconds * 1e6) / orders) : Number.NaN;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** One side of a sustained run: the chain or its floor. */
export interface SustainedSide {
  orders: number;
  seconds: number;
  ordersPerSecond: number;
  processes: ProcessCpu[];
  totalMicrosPerOrder: number;
  /** Rows (or records) landed in PostgreSQL per order. */
  rowsPerOrder: number;
  valid: boolean;
  note?: string;
  load: [before: number, after: number];
  extra?: Record<string, number | string>;
}

export interface SustainedResult {
  kind: 'sustained';
  startedAt: string;
  finishedAt: string;
  orders: number;
  seed: number;
  batchSize: number;
  partitions: number;
  chain: SustainedSide;
  floor: SustainedSide | null;
  /** chain total / floor total CPU-µs per order. */
  ratio: number | null;
  loadBefore: number[];
  loadAfter: number[];
  machine: Record<string, unknown>;
  versions: Record<string, unknown>;
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '-';

/**
 * The table of a sustained run: one row per process of the chain and of the floor (CPU-µs per order
 * and % of one core), the totals, orders/s, rows landed per order and the chain/floor ratio.
 */
export function renderSustainedTable(r: SustainedResult): string[] {
  const lines: string[] = [];
  const sides = [
    ['chain', r.chain],
    ['floor', r.floor],
  ] as const;
  lines.push('| run | process | CPU-µs per order | CPU, % of one core | CPU seconds |');
  lines.push('| --- | --- | ---: | ---: | ---: |');
  for (const [label, side] of sides) {
    if (!side) continue;
    const sorted = [...side.processes].sort((a, b) => b.microsPerOrder - a.microsPerOrder);
    for (const p of sorted) {
      lines.push(
        `| ${label} | ${p.name} | ${fmt(p.microsPerOrder)} | ${fmt(p.cpuPercent)}% | ${fmt(p.cpuSeconds, 2)} |`,
      );
    }
    const seconds = side.processes.reduce((s, p) => s + p.cpuSeconds, 0);
    lines.push(
      `| ${label} | **total** | **${fmt(side.totalMicrosPerOrder)}** | ${fmt(side.seconds > 0 ? (seconds / side.seconds) * 100 : Number.NaN)}% | ${fmt(seconds, 2)} |`,
    );
  }
  lines.push('');
  lines.push(
    '| run | orders | seconds | orders/s | CPU-µs per order | rows landed per order | valid | load 1 min (before → after) |',
  );
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |');
  for (const [label, side] of sides) {
    if (!side) continue;
    lines.push(
      `| ${label} | ${fmt(side.orders)} | ${fmt(side.seconds, 1)} | ${fmt(side.ordersPerSecond)} | ${fmt(side.totalMicrosPerOrder)} | ${fmt(side.rowsPerOrder, 2)} | ${side.valid ? 'yes' : `**no**${side.note ? ` (${side.note})` : ''}`} | ${side.load[0].toFixed(1)} → ${side.load[1].toFixed(1)} |`,
    );
  }
  if (r.ratio !== null) {
    lines.push('');
    lines.push(
      `Chain / floor CPU per order: **${r.ratio.toFixed(2)}x** (target at most 1.6x; chain target at most 400 CPU-µs per order).`,
    );
  }
  return lines;
}
