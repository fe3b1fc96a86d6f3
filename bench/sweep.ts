/**
 * `orderflow bench sweep --knob <knob>`: one setting at a time over a few values, the rest at their
 * defaults, each value with a few measured runs, so the defaults can be chosen from data.
 */
import { OrderflowError } from '../common/errors.ts';
import { resultHead, type Invocation } from './invocation.ts';
import { machineInfo, versions } from './machine.ts';
import { summarize } from './stats.ts';
import { clientSettings, formatSample, makeContext, runOnce, type BenchOptions } from './suite.ts';
import { allSystems, type BenchContext } from './systems/index.ts';
import type { RunSample, SweepPoint, SweepResult } from './types.ts';

export interface Knob {
  name: string;
  /** The system whose rate the knob moves. */
  system: string;
  doc: string;
  values: number[];
  quickValues: number[];
  /** Apply a value to the run context (and undo it afterwards). */
  apply: (ctx: BenchContext, value: number) => () => void;
}

/** Set the stages' batch size for one sweep point; returns the undo. */
function setBatchSize(ctx: BenchContext, value: number): () => void {
  const before = ctx.batchSize;
  ctx.batchSize = value;
  return () => (ctx.batchSize = before);
}

/** The payment stage at each batch size (batch-size and commit-interval are the same knob). */
const BATCH_SIZE_POINTS = {
  system: 'stage-payment',
  values: [100, 250, 500, 1000, 2000, 5000],
  quickValues: [250, 1000],
  apply: setBatchSize,
};

export const KNOBS: Record<string, Knob> = {
  'batch-size': {
    name: 'batch-size',
    doc: 'records per consumed batch = per transaction of a stage (js.consumer.max.batch.size; --batch-size of orderflow process)',
    ...BATCH_SIZE_POINTS,
  },
  'commit-interval': {
    name: 'commit-interval',
    doc: 'the stage runtime commits one transaction per consumed batch, so its commit interval is the batch size: same as batch-size',
    ...BATCH_SIZE_POINTS,
  },
  linger: {
    name: 'linger',
    system: 'generator',
    doc: "the generator producer's linger.ms (through ORDERFLOW_KAFKA_LINGER_MS)",
    values: [0, 5, 20, 50, 100],
    quickValues: [5, 50],
    apply: (_ctx, value) => {
      const before = process.env.ORDERFLOW_KAFKA_LINGER_MS;
      process.env.ORDERFLOW_KAFKA_LINGER_MS = String(value);
      return () => {
        if (before === undefined) delete process.env.ORDERFLOW_KAFKA_LINGER_MS;
        else process.env.ORDERFLOW_KAFKA_LINGER_MS = before;
      };
    },
  },
  partitions: {
    name: 'partitions',
    system: 'stage-payment',
    doc: 'partitions of the input and output topics (one instance)',
    values: [1, 3, 6, 12],
    quickValues: [1, 6],
    apply: (ctx, value) => {
      const before = ctx.kafka.partitions;
      ctx.kafka.partitions = value;
      return () => (ctx.kafka.partitions = before);
    },
  },
  instances: {
    name: 'instances',
    system: 'stage-payment',
    doc: 'payment stage instances (child processes) sharing the consumer group, 6 partitions',
    values: [1, 2, 3],
    quickValues: [1, 2],
    apply: (ctx, value) => {
      const before = ctx.instances;
      ctx.instances = value;
      return () => (ctx.instances = before);
    },
  },
};

export async function runSweep(
  invocation: Invocation,
  knobName: string,
  o: BenchOptions,
  values: number[] | undefined,
): Promise<SweepResult> {
  const { conn, print, deadline } = invocation;
  const knob = KNOBS[knobName];
  if (!knob) {
    throw new OrderflowError(
      'ORDERFLOW_USAGE',
      `unknown knob "${knobName}": use one of ${Object.keys(KNOBS).join(', ')}`,
    );
  }
  const system = allSystems(() => o.sinkBatchSize).find((s) => s.id === knob.system)!;
  const ctx = await makeContext(conn, o, invocation.log, print);
  const points: SweepPoint[] = [];
  print(`sweep ${knob.name}: ${knob.doc}`);
  for (const value of values ?? (o.quick ? knob.quickValues : knob.values)) {
    const undo = knob.apply(ctx, value);
    const runs: RunSample[] = [];
    try {
      if (o.warmup && Date.now() < deadline) {
        const w = await runOnce(ctx, system, `sw-${knob.name}-${value}-w`);
        print(`${knob.name}=${value}: warm-up ${formatSample(w, system.unit)}`);
      }
      for (let i = 1; i <= o.runs && Date.now() < deadline; i++) {
        const s = await runOnce(ctx, system, `sw-${knob.name}-${value}-${i}`);
        runs.push(s);
        print(`${knob.name}=${value}: run ${i}/${o.runs} ${formatSample(s, system.unit)}`);
      }
    } finally {
      undo();
    }
    const good = runs.filter((r) => r.valid && Number.isFinite(r.rate));
    points.push({ value, rate: good.length > 0 ? summarize(good.map((r) => r.rate)) : null, runs });
    if (Date.now() > deadline) {
      print(`sweep stopped after ${knob.name}=${value}: the --max-minutes budget is spent`);
      break;
    }
  }
  return {
    ...resultHead('sweep', invocation),
    knob: knob.name,
    system: system.id,
    unit: system.unit,
    orders: ctx.input.orders,
    points,
    machine: machineInfo(),
    versions: await versions(conn.databaseUrl),
    settings: clientSettings(o, undefined),
  };
}
