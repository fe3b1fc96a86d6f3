/**
 * Everything the benchmark measures, baselines and systems under test, one module per family:
 * the produce side (generator.ts), the stages and their pass-through ceiling (stages.ts), the
 * splitter and the Flink SQL split (splitter.ts, flink-split.ts), the sink and its PostgreSQL baselines (sink.ts) and the whole chain
 * (end-to-end.ts). What a system and a run are: system.ts and probe.ts.
 */
import { endToEnd } from './end-to-end.ts';
import { flinkSplitSystem } from './flink-split.ts';
import { codec, generator, rawProduce } from './generator.ts';
import { pgBaseline, sinkSystem } from './sink.ts';
import { splitterSystem } from './splitter.ts';
import { passThroughSystem, rawConsume, stageSystem } from './stages.ts';
import type { SystemDef } from './system.ts';

export { e2eRows, prepareChain } from './end-to-end.ts';
export { Probe } from './probe.ts';
export { deleteConnectors, deployConnectors, sinkConnectors, totalRows } from './sink.ts';
export { stageEvidence } from './stages.ts';
export {
  openOrderSink,
  prefixOf,
  schemaOf,
  type BenchContext,
  type RunOutcome,
  type SystemDef,
} from './system.ts';

export function allSystems(sinkBatch: () => number): SystemDef[] {
  return [
    rawProduce,
    rawConsume,
    passThroughSystem(true),
    passThroughSystem(false),
    codec,
    pgBaseline('copy', sinkBatch),
    pgBaseline('upsert', sinkBatch),
    generator,
    stageSystem('payment'),
    stageSystem('shipping'),
    stageSystem('delivery'),
    splitterSystem,
    flinkSplitSystem,
    sinkSystem,
    endToEnd,
  ];
}
