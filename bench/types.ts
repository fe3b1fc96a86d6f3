/**
 * The shape of a benchmark result (bench/results/<timestamp>.json): what the run measured, under
 * which machine, versions and settings. BENCHMARKS.md is rendered from it.
 */
import type { LatencySummary, Ratio, Summary } from './stats.ts';

/** CPU and memory of one process over one measured run. */
export interface ProcessUsage {
  /** e.g. "bench", "kafka", "connect", "postgres", "stage payment #1". */
  name: string;
  pid: number;
  /** Percent of one core over the run (200 = both cores of a 2-core machine). */
  cpuPercent: number;
  /** CPU seconds (user + system) the process used over the run. */
  cpuSeconds?: number;
  /** Peak resident set size (VmHWM) in MiB: the process's peak so far, not only during this run. */
  peakRssMiB: number;
}

export interface RunSample {
  /** Records (or rows) the run handled. */
  records: number;
  /** Seconds of the measured interval. */
  seconds: number;
  /** Records per second. */
  rate: number;
  /** The exact count check held (no record lost or duplicated). */
  valid: boolean;
  /** Why a run is invalid, or anything else worth knowing about it. */
  note?: string;
  /** 1-minute load average before and after the run (the machine is shared). */
  load: [before: number, after: number];
  usage: ProcessUsage[];
  /** Event-loop delay p99 in ms of the process(es) that run the system's JavaScript. */
  eventLoopP99Ms?: number;
  /** Anything else the system reports per run (e.g. transactions, consumer lag). */
  extra?: Record<string, number | string>;
}

export type SystemKind = 'baseline' | 'system';

export interface SystemResult {
  id: string;
  kind: SystemKind;
  title: string;
  /** "orders/s", "records/s" or "rows/s". */
  unit: string;
  /** How it is measured, one sentence. */
  method: string;
  /** Orders per counted record (1 for orders; orders/rows for the database systems). */
  ordersPerRecord?: number;
  warmup: RunSample | null;
  runs: RunSample[];
  /** Summary of the rates of the valid measured runs (null when none was valid). */
  rate: Summary | null;
  /** Every run valid (exact counts). */
  allValid: boolean;
  error?: string;
}

export interface LatencyRun {
  /** Fraction of the measured end-to-end maximum (0.5, 0.8). */
  fraction: number;
  /** Offered rate, orders per second. */
  rate: number;
  orders: number;
  generationToFinished: LatencySummary | null;
  /** Generated to committed in the split `orders` topic (after the splitter), where measured. */
  generationToSplit?: LatencySummary | null;
  generationToPostgres: LatencySummary | null;
  /**
   * How often the landed stamps were collected, ms. Since the stamps are PostgreSQL's own
   * (clock_timestamp() at insert), this no longer limits the resolution; results written before
   * that change measured arrival by this poll.
   */
  postgresPollMs: number;
  /** 'database': landing times stamped by PostgreSQL; absent in older results (polled). */
  landedClock?: 'database';
  valid: boolean;
  note?: string;
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryMiB: number;
  os: string;
  hostname: string;
}

export interface Versions {
  node: string;
  librdkafka: string;
  kafkaJavascript: string;
  kafka: string;
  postgres: string;
  debeziumJdbc: string;
  apicurioConverter: string;
  /** The orderflow commit the run measured, with "+dirty" when the work tree had changes. */
  orderflowCommit: string;
}

export interface BenchResult {
  kind: 'bench';
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  /** The options of the run (sizes, runs, seed, systems). */
  options: Record<string, unknown>;
  machine: MachineInfo;
  versions: Versions;
  /** Client settings that shape the figures (librdkafka properties, batch sizes, sink settings). */
  settings: Record<string, Record<string, string | number | boolean>>;
  systems: SystemResult[];
  ratios: Ratio[];
  latency: LatencyRun[];
  /** What limits the slowest stage, gathered during the run (CPU saturation, lag, batch sizes). */
  findings: string[];
  loadBefore: number[];
  loadAfter: number[];
}

export interface SweepPoint {
  value: number;
  rate: Summary | null;
  runs: RunSample[];
}

export interface SweepResult {
  kind: 'sweep';
  startedAt: string;
  finishedAt: string;
  knob: string;
  system: string;
  unit: string;
  orders: number;
  points: SweepPoint[];
  machine: MachineInfo;
  versions: Versions;
  settings: Record<string, Record<string, string | number | boolean>>;
}
