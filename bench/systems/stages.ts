import { setTimeout as sleep } from 'node:timers/promises';
/**
 * One stage's ceiling and the stages themselves: the raw consume and the raw pass-through (with and
 * without transactions) as baselines, then each stage's real service over a pre-filled input topic.
 */
import { OrderflowError } from '../../common/errors.ts';
import { STAGES } from '../../processors/stages.ts';
import { dlqTopic, topicName } from '../../schemas/topics.ts';
import type { Stage } from '../../schemas/types.generated.ts';
import { scrape, startStage, stopService, type ServiceMetrics, type ServiceProcess } from '../children.ts';
import {
  consumeAll,
  createTopics,
  newTrace,
  noteCommit,
  produceAll,
  type CommitTrace,
  type PassThroughOptions,
} from '../kafka-io.ts';
import { helperProcess } from './helper-process.ts';
import type { Probe } from './probe.ts';
import { timeoutFor, traceOutcome, type BenchContext, topicSystem, type SystemDef } from './system.ts';

export const rawConsume = topicSystem(
  {
    id: 'raw-consume',
    kind: 'baseline',
    title: 'raw consume (read_committed, batches of the stage size)',
    method:
      "The stages' consumer settings, eachBatch with nothing done per record: first batch to last batch.",
    topics: ['unpaid'],
  },
  async (ctx, probe, { prefix, topics: [topic] }) => {
    const messages = ctx.input.stages.payment.input;
    await produceAll(ctx.kafka, topic, messages);
    probe.begin();
    const r = await consumeAll(ctx.kafka, [topic], messages.length, {
      group: `${prefix}consume`,
      batchSize: ctx.batchSize,
      timeoutMs: timeoutFor(messages.length, 1000),
    });
    probe.end();
    return traceOutcome(r.trace, messages.length, r.distinct, r.timedOut);
  },
);

/**
 * Start `ctx.instances` processes of one stage (one consumer group), each added to `services` as soon
 * as it runs (so the caller's clean-up stops it even if a later one fails), and watched by the probe.
 */
export async function startStageInstances(
  ctx: BenchContext,
  stage: Stage,
  prefix: string,
  run: string,
  probe: Probe,
  services: ServiceProcess[],
): Promise<void> {
  for (let i = 0; i < ctx.instances; i++) {
    const s = await startStage(stage, {
      prefix,
      instance: `${run}-${i}`,
      seed: ctx.seed,
      batchSize: ctx.batchSize,
    });
    services.push(s);
    probe.watch(`${stage} #${i + 1}`, s.pid);
  }
}

/** The raw pass-through in its own process. */
function passThroughProcess(
  ctx: BenchContext,
  o: Omit<PassThroughOptions, 'onReady'>,
  probe: Probe,
): Promise<{ trace: CommitTrace; timedOut: boolean; transactions: number; transactionSeconds: number }> {
  return helperProcess(
    'passthrough-process.ts',
    { ...o, bootstrap: ctx.kafka.bootstrap, partitions: ctx.kafka.partitions },
    'pass-through',
    probe,
  );
}

export function passThroughSystem(transactional: boolean): SystemDef {
  return topicSystem(
    {
      id: transactional ? 'passthrough-tx' : 'passthrough',
      kind: 'baseline',
      title: transactional
        ? 'raw pass-through, one transaction per batch (one stage’s ceiling)'
        : 'raw pass-through, no transactions (idempotent, commit offsets after send)',
      method:
        'In a process of its own (like a stage): consume unpaid orders and produce the unchanged bytes with the stage runtime’s consumer/producer settings, one partition batch at a time' +
        (transactional
          ? ', one transaction (send + sendOffsets + commit) per batch.'
          : ', send then commit offsets per batch.') +
        ' First commit to last commit.',
      topics: ['unpaid', 'paid'],
    },
    async (ctx, probe, { prefix, topics: [input, output] }) => {
      const messages = ctx.input.stages.payment.input;
      await produceAll(ctx.kafka, input, messages);
      const r = await passThroughProcess(
        ctx,
        {
          input,
          output,
          expected: messages.length,
          transactional,
          batchSize: ctx.batchSize,
          group: `${prefix}pass`,
          timeoutMs: timeoutFor(messages.length, 500),
        },
        probe,
      );
      probe.end();
      const check = await consumeAll(ctx.kafka, [output], messages.length, {
        group: `${prefix}check`,
        settleMs: 1000,
        timeoutMs: 120_000,
      });
      const out = traceOutcome(r.trace, messages.length, messages.length, r.timedOut);
      out.extra = {
        transactions: r.transactions,
        recordsPerTransaction: r.transactions > 0 ? Math.round(messages.length / r.transactions) : 0,
        meanTransactionMs:
          r.transactions > 0 ? Math.round((r.transactionSeconds / r.transactions) * 10_000) / 10 : 0,
      };
      if (check.trace.count !== messages.length || check.distinct !== messages.length) {
        out.valid = false;
        out.note = `output holds ${check.trace.count} records (${check.distinct} distinct), expected ${messages.length}`;
      }
      return out;
    },
  );
}

/** Poll service metrics until `expected` input records are committed; the first/last commit trace. */
async function followServices(
  services: ServiceProcess[],
  expected: number,
  timeoutMs: number,
): Promise<{
  trace: ReturnType<typeof newTrace>;
  timedOut: boolean;
  loopP99: number | undefined;
  last: ServiceMetrics[];
  /** Highest summed consumer lag seen while the run went on. */
  maxLag: number;
}> {
  const trace = newTrace();
  let loopP99: number | undefined;
  let last: ServiceMetrics[] = [];
  let maxLag = 0;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = performance.now();
    const all = await Promise.all(services.map((s) => scrape(s)));
    last = all.filter((m): m is ServiceMetrics => m !== undefined);
    const count = last.reduce((sum, m) => sum + m.recordsIn, 0);
    maxLag = Math.max(
      maxLag,
      last.reduce((sum, m) => sum + m.lag, 0),
    );
    for (const m of last)
      if (m.eventLoopP99Ms !== undefined) loopP99 = Math.max(loopP99 ?? 0, m.eventLoopP99Ms);
    if (count > trace.count) noteCommit(trace, count - trace.count, now);
    if (trace.count >= expected) return { trace, timedOut: false, loopP99, last, maxLag };
    for (const s of services) {
      if (s.child.exitCode !== null) {
        throw new OrderflowError(
          'ORDERFLOW_USAGE',
          `${s.name} exited (${s.child.exitCode}): ${s.problems.join(' | ').slice(0, 1500)}`,
        );
      }
    }
    if (Date.now() > deadline) return { trace, timedOut: true, loopP99, last, maxLag };
    await sleep(100);
  }
}

/** Per-run evidence from the stage metrics: transactions, their share of the batch time, lag. */
export function stageEvidence(
  metrics: ServiceMetrics[],
  records: number,
  maxLag: number,
): Record<string, number> {
  const sum = (f: (m: ServiceMetrics) => number) => metrics.reduce((s, m) => s + f(m), 0);
  const transactions = sum((m) => m.transactions);
  const txSeconds = sum((m) => m.transactionSeconds);
  const txCount = sum((m) => m.transactionCount);
  const batchSeconds = sum((m) => m.batchSeconds);
  const batchCount = sum((m) => m.batchCount);
  return {
    transactions,
    recordsPerTransaction: transactions > 0 ? Math.round(records / transactions) : 0,
    meanTransactionMs: txCount > 0 ? Math.round((txSeconds / txCount) * 10_000) / 10 : 0,
    meanBatchMs: batchCount > 0 ? Math.round((batchSeconds / batchCount) * 10_000) / 10 : 0,
    transactionShareOfBatch: batchSeconds > 0 ? Math.round((txSeconds / batchSeconds) * 100) / 100 : 0,
    maxLag,
  };
}

export function stageSystem(stage: Stage): SystemDef {
  const def = STAGES[stage];
  return topicSystem(
    {
      id: `stage-${stage}`,
      kind: 'system',
      title: `${stage} stage alone (orderflow process ${stage})`,
      method: `The real \`orderflow process ${stage}\` child process(es) over a pre-filled ${def.input} topic: first to last committed batch (from its /metrics), then an exact count of the committed outputs.`,
    },
    async (ctx, probe, { run, prefix }) => {
      const input = topicName(def.input, prefix);
      const data = ctx.input.stages[stage];
      // Every topic the stage writes: the payment stage also finishes store orders at the till.
      const outputs = [def.success, def.failed, ...(def.finished ? [def.finished] : [])].map((key) =>
        topicName(key, prefix),
      );
      await createTopics(ctx.kafka, [input, dlqTopic(input), ...outputs]);
      await produceAll(ctx.kafka, input, data.input);
      const services: ServiceProcess[] = [];
      try {
        await startStageInstances(ctx, stage, prefix, run, probe, services);
        probe.begin();
        const r = await followServices(services, data.input.length, timeoutFor(data.input.length, 300));
        probe.end();
        const out = traceOutcome(r.trace, data.input.length, data.input.length, r.timedOut);
        out.eventLoopP99Ms = r.loopP99;
        out.extra = stageEvidence(r.last, data.input.length, r.maxLag);
        const expected = data.next.length + data.failed.length;
        const check = await consumeAll(ctx.kafka, outputs, expected, {
          group: `${prefix}check`,
          settleMs: 1000,
          timeoutMs: 120_000,
        });
        if (check.trace.count !== expected || check.distinct !== expected) {
          out.valid = false;
          out.note = `outputs hold ${check.trace.count} records (${check.distinct} distinct), expected ${expected}`;
        }
        return out;
      } finally {
        for (const s of services) await stopService(s);
      }
    },
  );
}
