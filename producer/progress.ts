/**
 * What a generator run has committed, so that a killed run re-run with the same command goes on
 * where it stopped, and each order reaches unpaid_orders exactly once.
 *
 * A run is identified by its seed, its first order time, its mode and the model's parameters: the
 * same identity always yields the same order sequence (the model is deterministic), so "how many
 * orders of this run are committed" is all it takes to resume. The count is kept in a compacted
 * topic, `<prefix>_orderflow_generator_progress`, keyed by the run, and written in the same Kafka
 * transaction as the orders it counts: the count and the orders are committed together or not at all.
 *
 * The pure part (run keys, the default window) is here; reading the topic is `loadProgress`.
 */
import { createHash } from 'node:crypto';
import { createKafka, type Admin } from '../common/kafka.ts';
import { OrderflowError, describeError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { readRanges } from '../common/record-reader.ts';
import { isTransient, retry } from '../common/retry.ts';
import type { GeneratorConfig } from '../simulation/config.ts';
import { monthsBefore } from '../simulation/model/generator.ts';

/** One run's committed progress: the value of its record in the progress topic. */
export interface RunProgress {
  /** The record key: seed, first order time, mode and model hash in one readable string. */
  run: string;
  seed: number;
  /** First order time, ISO 8601 UTC. */
  from: string;
  mode: 'backfill' | 'live';
  /** Orders of this run committed to unpaid_orders so far (the first `produced` of its sequence). */
  produced: number;
  /** The last committed order: its id and event time. */
  lastOrderId: string | null;
  lastOrderDate: string | null;
  /** Who wrote it, when (wall clock): shown when a second generator is refused. */
  host: string;
  pid: number;
  updatedAt: string;
}

/** A hash of every model parameter but the window: a changed model is a different run. */
export function modelHash(config: GeneratorConfig): string {
  const model: Partial<GeneratorConfig> = { ...config };
  delete model.from;
  delete model.until;
  delete model.count;
  delete model.seed;
  return createHash('sha256').update(JSON.stringify(model)).digest('hex').slice(0, 12);
}

export function runKey(seed: number, from: number, mode: 'backfill' | 'live', model: string): string {
  return `seed=${seed} from=${new Date(from).toISOString()} mode=${mode} model=${model}`;
}

const DAY_MS = 86_400_000;

/**
 * The first order time of a backfill without --from: the first order time of this pipeline's
 * latest backfill with the same seed and model (so that re-running the same command goes on with
 * the same run), or else UTC midnight 24 months before now (a whole day, so that a re-run the same
 * day starts at the same instant even without a recorded run).
 */
export function defaultBackfillFrom(
  runs: Iterable<RunProgress>,
  seed: number,
  model: string,
  now: number,
): { from: number; resumed: boolean } {
  let latest: RunProgress | undefined;
  for (const r of runs) {
    if (r.mode !== 'backfill' || r.seed !== seed || !r.run.endsWith(` model=${model}`)) continue;
    if (!latest || r.updatedAt > latest.updatedAt) latest = r;
  }
  if (latest) return { from: Date.parse(latest.from), resumed: true };
  return { from: Math.floor(monthsBefore(now, 24) / DAY_MS) * DAY_MS, resumed: false };
}

/** Create the compacted progress topic if it is missing (idempotent, safe against a racing creator). */
export async function ensureProgressTopic(admin: Admin, topic: string): Promise<void> {
  if ((await admin.listTopics()).includes(topic)) return;
  try {
    await admin.createTopics({
      topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
    });
  } catch (error) {
    if (!/exist/i.test(describeError(error))) throw error;
  }
}

/** The progress of a run that has committed nothing yet. */
export function newProgress(run: string, seed: number, from: number, mode: 'backfill' | 'live'): RunProgress {
  return {
    run,
    seed,
    from: new Date(from).toISOString(),
    mode,
    produced: 0,
    lastOrderId: null,
    lastOrderDate: null,
    host: '',
    pid: 0,
    updatedAt: '',
  };
}

/**
 * Every run's latest committed progress (read_committed, to the end of the topic), creating the
 * topic first if this pipeline has none yet.
 */
export async function loadProgress(bootstrap: string, topic: string): Promise<Map<string, RunProgress>> {
  const admin = createKafka(
    bootstrap,
    'orderflow-generator-progress',
    createLogger('generator', 'silent'),
  ).admin();
  await admin.connect();
  let ends: { partition: number; low: number; high: number }[];
  try {
    await ensureProgressTopic(admin, topic);
    // A topic just created has no leader for a moment: the broker answers "Unknown topic or
    // partition" until it has one (the first `orderflow run` on a new stack met it).
    const offsets = await retry(() => admin.fetchTopicOffsets(topic), {
      what: `the generator's progress topic ${topic}`,
      code: 'ORDERFLOW_BROKER_UNAVAILABLE',
      budgetMs: 30_000,
      retriable: (error) =>
        isTransient(error) || /unknown topic or partition|leader not available/i.test(describeError(error)),
    });
    ends = offsets.map((p) => ({
      partition: p.partition,
      low: Number(p.low),
      high: Number(p.high),
    }));
  } finally {
    await admin.disconnect();
  }
  const read = await readRanges(
    bootstrap,
    ends.map((p) => ({ topic, partition: p.partition, from: p.low, to: p.high })),
    { maxRecords: 1_000_000, timeoutMs: 15_000, clientId: 'orderflow-generator-progress' },
  );
  if (!read.complete)
    throw new OrderflowError(
      'ORDERFLOW_BROKER_UNAVAILABLE',
      `the generator's progress topic ${topic} was not read to its end within 15 s`,
      { retriable: true },
    );
  const runs = new Map<string, RunProgress>();
  for (const r of read.records) {
    if (!r.key) continue;
    if (r.value === null) runs.delete(r.key.toString());
    else runs.set(r.key.toString(), JSON.parse(r.value.toString()) as RunProgress);
  }
  return runs;
}
