import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The one metrics module: the stage runtime (and the other services) record here; `/metrics` serves
 * `registry`; benchmarks and tests read the same objects in-process (`counterValue`, `histogramCount`)
 * instead of parsing logs.
 */
export const registry = new Registry();

let defaultsCollected = false;
/** Process metrics (CPU, memory, event-loop lag); only for long-running services, not for tests. */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: registry, prefix: 'orderflow_' });
}

const latencyBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** A counter, gauge or histogram in `registry`. */
function counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
  return new Counter({ name, help, labelNames, registers: [registry] });
}
function gauge<L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> {
  return new Gauge({ name, help, labelNames, registers: [registry] });
}
function histogram<L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  buckets: number[],
): Histogram<L> {
  return new Histogram({ name, help, labelNames, buckets, registers: [registry] });
}

export const stageMetrics = {
  recordsIn: counter(
    'orderflow_stage_records_in_total',
    'Records consumed and processed by a stage (committed or not).',
    ['stage'],
  ),
  recordsOut: counter(
    'orderflow_stage_records_out_total',
    'Records a stage produced, per output topic, in committed transactions.',
    ['stage', 'topic'],
  ),
  recordsFailed: counter(
    'orderflow_stage_records_failed_total',
    'Orders a stage routed to failed_orders (business failures: timed out, cancelled, returned).',
    ['stage'],
  ),
  recordsDlq: counter(
    'orderflow_stage_records_dlq_total',
    'Input records a stage sent to its dead-letter topic, by error code.',
    ['stage', 'code'],
  ),
  transactions: counter(
    'orderflow_stage_transactions_total',
    'Kafka transactions by outcome (committed, aborted).',
    ['stage', 'outcome'],
  ),
  batchSeconds: histogram(
    'orderflow_stage_batch_seconds',
    'Time to process one consumed batch, from decode to commit (pacing waits excluded).',
    ['stage'],
    latencyBuckets,
  ),
  transactionSeconds: histogram(
    'orderflow_stage_transaction_seconds',
    'Time from beginning a transaction to its commit.',
    ['stage'],
    latencyBuckets,
  ),
  batchSize: histogram(
    'orderflow_stage_batch_records',
    'Records per consumed batch.',
    ['stage'],
    [1, 10, 50, 100, 250, 500, 1000, 2000],
  ),
  consumerLag: gauge(
    'orderflow_stage_consumer_lag',
    'Records behind the high watermark, per input partition, after the last batch.',
    ['stage', 'topic', 'partition'],
  ),
  endToEndSeconds: histogram(
    'orderflow_stage_end_to_end_seconds',
    'Live mode: wall-clock time from the order_date (mapped to wall time by the speed factor) to the commit of the stage output.',
    ['stage'],
    [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800, 3600, 7200, 14400, 43200],
  ),
  pendingRecords: gauge(
    'orderflow_stage_pending_records',
    'Live mode: outputs this instance holds in its pending set, computed but not yet due.',
    ['stage'],
  ),
  pendingReleased: counter(
    'orderflow_stage_pending_released_total',
    'Live mode: pending outputs released to their topic (with their tombstone) in committed transactions.',
    ['stage'],
  ),
};

/** Whether a metric value carries every one of `labels`. */
function hasLabels(
  value: { labels: Partial<Record<string, string | number>> },
  labels: Record<string, string | number>,
) {
  return Object.entries(labels).every(([k, want]) => String(value.labels[k]) === String(want));
}

/** The current value of a counter or gauge for these labels (0 when never touched). */
export async function counterValue(
  metric: Counter<string> | Gauge<string>,
  labels: Record<string, string | number> = {},
): Promise<number> {
  const { values } = await metric.get();
  let sum = 0;
  for (const v of values) {
    if (hasLabels(v, labels)) sum += v.value;
  }
  return sum;
}

/** How many observations a histogram holds for these labels, and their sum. */
export async function histogramCount(
  metric: Histogram<string>,
  labels: Record<string, string | number> = {},
): Promise<{ count: number; sum: number }> {
  const { values } = await metric.get();
  let count = 0;
  let sum = 0;
  for (const v of values) {
    if (!hasLabels(v, labels)) continue;
    if (v.metricName?.endsWith('_count')) count += v.value;
    if (v.metricName?.endsWith('_sum')) sum += v.value;
  }
  return { count, sum };
}

/** Text exposition for `/metrics`. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
