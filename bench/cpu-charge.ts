/**
 * What a benchmarked system's work costs in CPU: the processes it is charged to, its records per
 * CPU-second and the ratios recomputed from them, and each process's CPU and peak RSS over runs. Pure.
 */
import { median, type Ratio } from './stats.ts';
import type { BenchResult, RunSample, SystemResult } from './types.ts';

/** Median over runs of a process's CPU percent (processes matched by name). */
export function medianCpu(runs: RunSample[], name: string): number | null {
  const values = runs
    .flatMap((r) => r.usage.filter((u) => u.name === name).map((u) => u.cpuPercent))
    .filter(Number.isFinite);
  return values.length > 0 ? median(values) : null;
}

export function peakRss(runs: RunSample[], name: string): number | null {
  const values = runs
    .flatMap((r) => r.usage.filter((u) => u.name === name).map((u) => u.peakRssMiB))
    .filter(Number.isFinite);
  return values.length > 0 ? Math.max(...values) : null;
}

export function processNames(runs: RunSample[]): string[] {
  const names: string[] = [];
  for (const r of runs) for (const u of r.usage) if (!names.includes(u.name)) names.push(u.name);
  return names;
}

/**
 * The processes whose CPU a system's work is charged to (the broker and the registry serve every
 * engineer on a shared machine, so they are left out): this process for in-process systems, the
 * stage children for a stage, Connect and PostgreSQL for the sink, PostgreSQL for COPY and upsert.
 */
export function ownProcesses(systemId: string, names: string[]): string[] {
  if (systemId.startsWith('stage-')) {
    const stage = systemId.slice('stage-'.length);
    return names.filter((n) => n.startsWith(`${stage} `));
  }
  if (systemId.startsWith('passthrough')) return names.filter((n) => n === 'pass-through');
  if (systemId === 'splitter' && names.includes('splitter')) return ['splitter'];
  if (systemId === 'flink-split') return names.filter((n) => n === 'flink-jm' || n === 'flink-tm');
  if (systemId === 'sink') return names.filter((n) => n === 'connect' || n === 'postgres');
  if (systemId === 'copy' || systemId === 'upsert') return names.filter((n) => n === 'postgres');
  if (systemId === 'end-to-end') return [];
  return names.filter((n) => n === 'bench');
}

/**
 * Records per CPU-second of the system's own processes, median over the valid runs: a figure the
 * other tenants of a shared machine move much less than the wall-clock rate (null when not charged).
 */
export function perCpuSecond(s: SystemResult): number | null {
  const values: number[] = [];
  for (const r of s.runs) {
    if (!r.valid || !Number.isFinite(r.seconds) || r.seconds <= 0) continue;
    const own = ownProcesses(
      s.id,
      r.usage.map((u) => u.name),
    );
    if (own.length === 0) continue;
    // The Flink split's window opens at the job's submission, seconds before its measured interval
    // (from all tasks running): charge the CPU seconds of the whole window, start-up included.
    const cpuSeconds = r.usage
      .filter((u) => own.includes(u.name))
      .reduce(
        (sum, u) =>
          sum +
          (s.id === 'flink-split' && u.cpuSeconds !== undefined
            ? u.cpuSeconds
            : (u.cpuPercent / 100) * r.seconds),
        0,
      );
    if (cpuSeconds > 0) values.push(r.records / cpuSeconds);
  }
  return values.length > 0 ? median(values) : null;
}

/** A ratio recomputed from records per CPU-second of both sides (null when either is not charged). */
export function cpuRatio(result: BenchResult, r: Ratio): number | null {
  const num = result.systems.find((s) => s.id === r.numerator);
  const den = result.systems.find((s) => s.id === r.denominator);
  if (!num || !den) return null;
  const a = perCpuSecond(num);
  const b = perCpuSecond(den);
  return a === null || b === null || b <= 0 ? null : a / b;
}
