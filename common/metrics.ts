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

export const stageMetrics = {
  recordsIn: new Counter({
    name: 'orderflow_stage_records_in_total',
    help: 'Records consumed and processed by a stage (committed or not).',
    labelNames: ['stage'] as const,
    registers: [registry],
  }),
  recordsOut: new Counter({
    name: 'orderflow_stage_records_out_total',
    help: 'Records a stage produced, per output topic, in committed transactions.',
    labelNames: ['stage', 'topic'] as const,
    registers: [registry],
  }),
  recordsFailed: new Counter({
    name: 'orderflow_stage_records_failed_total',
    help: 'Orders a stage routed to failed_orders (business failures: timed out, cancelled, returned).',
    labelNames: ['stage'] as const,
    registers: [registry],
  }),
  recordsDlq: new Counter({
    name: 'orderflow_stage_records_dlq_total',
    help: 'Input records a stage sent to its dead-letter topic, by error code.',
    labelNames: ['stage', 'code'] as const,
    registers: [registry],
  }),
  transactions: new Counter({
    name: 'orderflow_stage_transactions_total',
    help: 'Kafka transactions by outcome (committed, aborted).',
    labelNames: ['stage', 'outcome'] as const,
    registers: [registry],
  }),
  batchSeconds: new Histogram({
    name: 'orderflow_stage_batch_seconds',
    help: 'Time to process one consumed batch, from decode to commit (pacing waits excluded).',
    labelNames: ['stage'] as const,
    buckets: latencyBuckets,
    registers: [registry],
  }),
  transactionSeconds: new Histogram({
    name: 'orderflow_stage_transaction_seconds',
    help: 'Time from beginning a transaction to its commit.',
    labelNames: ['stage'] as const,
    buckets: latencyBuckets,
    registers: [registry],
  }),
  batchSize: new Histogram({
    name: 'orderflow_stage_batch_records',
    help: 'Records per consumed batch.',
    labelNames: ['stage'] as const,
    buckets: [1, 10, 50, 100, 250, 500, 1000, 2000],
    registers: [registry],
  }),
  consumerLag: new Gauge({
    name: 'orderflow_stage_consumer_lag',
    help: 'Records behind the high watermark, per input partition, after the last batch.',
    labelNames: ['stage', 'topic', 'partition'] as const,
    registers: [registry],
  }),
  endToEndSeconds: new Histogram({
    name: 'orderflow_stage_end_to_end_seconds',
    help: 'Live mode: wall-clock time from the order_date (mapped to wall time by the speed factor) to the commit of the stage output.',
    labelNames: ['stage'] as const,
    buckets: [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800, 3600, 7200, 14400, 43200],
    registers: [registry],
  }),
  pendingRecords: new Gauge({
    name: 'orderflow_stage_pending_records',
    help: 'Live mode: outputs this instance holds in its pending set, computed but not yet due.',
    labelNames: ['stage'] as const,
    registers: [registry],
  }),
  pendingReleased: new Counter({
    name: 'orderflow_stage_pending_released_total',
    help: 'Live mode: pending outputs released to their topic (with their tombstone) in committed transactions.',
    labelNames: ['stage'] as const,
    registers: [registry],
  }),
};

/** The current value of a counter or gauge for these labels (0 when never touched). */
export async function counterValue(
  metric: Counter<string> | Gauge<string>,
  labels: Record<string, string | number> = {},
): Promise<number> {
  const { values } = await metric.get();
  let sum = 0;
  for (const v of values) {
    if (Object.entries(labels).every(([k, want]) => String(v.labels[k]) === String(want))) sum += v.value;
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
    if (!Object.entries(labels).every(([k, want]) => String(v.labels[k]) === String(want))) continue;
    if (v.metricName?.endsWith('_count')) count += v.value;
    if (v.metricName?.endsWith('_sum')) sum += v.value;
  }
  return { count, sum };
}

/** Text exposition for `/metrics`. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
