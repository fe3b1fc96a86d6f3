import { setTimeout as sleep } from 'node:timers/promises';
import { loadSettings } from '../../common/config.ts';
import { OrderflowError } from '../../common/errors.ts';
import { catalogSession } from '../../common/flink-session.ts';
import { cancelClusterJob } from '../../common/flink-gateway.ts';
import { sqlSettings } from '../../flink/settings.ts';
import { submitSplit } from '../../flink/split-job.ts';
import { dlqTopic, topicName } from '../../schemas/topics.ts';
import { consumeAll, createTopics, produceAll } from '../kafka-io.ts';
import { flinkProcesses } from '../resources.ts';
import { perThousand, timeoutFor, topicSystem } from './system.ts';

const ENGINE = ['flink-jm', 'flink-tm'];

/** Until every task of the job runs (the moment the split starts reading); ms of performance.now(). */
async function tasksRunning(rest: string, jobId: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`${rest}/jobs/${jobId}`, { signal: AbortSignal.timeout(3000) }).catch(
      () => undefined,
    );
    if (res?.ok) {
      const job = (await res.json()) as { state: string; vertices: { status: string }[] };
      if (
        job.state === 'RUNNING' &&
        job.vertices.length > 0 &&
        job.vertices.every((v) => v.status === 'RUNNING')
      )
        return performance.now();
      if (job.state === 'FAILED')
        throw new OrderflowError('ORDERFLOW_SQL_FAILED', `the split job ${jobId} failed`);
    }
    await sleep(50);
  }
  throw new OrderflowError(
    'ORDERFLOW_SQL_FAILED',
    `the split job ${jobId} was not running after ${timeoutMs / 1000} s`,
  );
}

/**
 * The Flink SQL split (flink/split.sql) on the stack's Flink cluster over the same pre-filled finished
 * and failed orders as the splitter: from the moment all its tasks run to the last order and order line
 * visible read_committed (exactly-once sinks commit with each 2 s checkpoint, so this includes up to one
 * checkpoint interval), then exact counts. CPU is the JobManager's and TaskManager's from the
 * submission to the end, the job's start included.
 */
export const flinkSplitSystem = topicSystem(
  {
    id: 'flink-split',
    kind: 'system',
    title: 'Flink SQL split alone (finished + failed -> orders, customers, order_items)',
    method:
      "flink/split.sql submitted to the stack's Flink session cluster (ORDERFLOW_FLINK=on) over pre-filled finished_orders and failed_orders: from all tasks RUNNING to the last orders and order_items record visible read_committed (checkpoints every 2 s commit the output), then exact counts; CPU of the JobManager and TaskManager from /proc.",
  },
  async (ctx, probe, { prefix }) => {
    const engine = flinkProcesses();
    if (!engine.some((p) => p.name === 'flink-tm'))
      throw new OrderflowError(
        'ORDERFLOW_FLINK_UNAVAILABLE',
        'no Flink TaskManager of this stack runs: start it with `ORDERFLOW_FLINK=on orderflow stack up`',
      );
    for (const p of engine) probe.watch(p.name, p.pid);
    const input = ctx.input;
    const topics = ['finished', 'failed', 'orders', 'customers', 'orderItems'] as const;
    const names = topics.map((t) => topicName(t, prefix));
    const settings = {
      ...loadSettings(sqlSettings),
      kafkaBootstrap: ctx.kafka.bootstrap,
      registryUrl: ctx.registryUrl,
      topicPrefix: prefix,
    };
    const rest = `http://127.0.0.1:${settings.flinkRestPort}`;
    await createTopics(ctx.kafka, [...names, dlqTopic(names[0]!), dlqTopic(names[1]!)]);
    await produceAll(ctx.kafka, names[0]!, input.finished);
    await produceAll(ctx.kafka, names[1]!, input.failed);
    const expected = input.finished.length + input.failed.length;
    const timeoutMs = timeoutFor(expected, 300);
    // The readers join before the job starts, so the group join is not timed.
    const orders = consumeAll(ctx.kafka, [names[2]!], expected, {
      group: `${prefix}check-orders`,
      settleMs: 1000,
      timeoutMs,
    });
    const items = consumeAll(ctx.kafka, [names[4]!], input.items, {
      group: `${prefix}check-items`,
      settleMs: 1000,
      timeoutMs,
    });
    // CPU from the submission: the JobManager's and TaskManager's share of starting the job counts
    // (the planning runs in the SQL Gateway, the client here, and is not counted).
    probe.begin();
    const submittedAt = performance.now();
    const { jobId } = await submitSplit(settings, catalogSession);
    try {
      const startedAt = await tasksRunning(rest, jobId, 60_000);
      const [o, i] = await Promise.all([orders, items]);
      probe.end();
      const endAt = Math.max(o.trace.lastAt ?? Number.NaN, i.trace.lastAt ?? Number.NaN);
      const seconds = (endAt - startedAt) / 1000;
      const valid =
        !o.timedOut &&
        !i.timedOut &&
        o.trace.count === expected &&
        o.distinct === expected &&
        i.trace.count === input.items &&
        i.distinct === input.items;
      return {
        records: expected,
        seconds,
        rate: seconds > 0 ? expected / seconds : Number.NaN,
        valid,
        ...(valid
          ? {}
          : {
              note: `orders ${o.trace.count} (${o.distinct} distinct), items ${i.trace.count} (${i.distinct} distinct); expected ${expected} and ${input.items}${o.timedOut || i.timedOut ? ' (timed out)' : ''}`,
            }),
        extra: {
          engineCpuSecondsPer1000Orders: perThousand(probe.cpuSeconds(ENGINE), expected),
          submitToRunningSeconds: Math.round(startedAt - submittedAt) / 1000,
        },
      };
    } finally {
      await cancelClusterJob(rest, jobId);
    }
  },
);
