import type { Logger } from '../common/logger.ts';
import { AvroSerde, readSchema } from '../common/serde.ts';
import { checkOrder, describeViolations, type LifecycleStage } from '../schemas/invariants.ts';
import { topicName, valueSubject, type TopicKey } from '../schemas/topics.ts';
import type { Order, Stage } from '../schemas/types.generated.ts';
import { PROFILES, type ProfileName } from './profiles.ts';
import { pipelineNames } from '../common/names.ts';
import { StageRuntime } from '../runtime/index.ts';
import { pipelineStage, serveStage, type ServedStage } from '../runtime/stage-service.ts';
import type { Sink } from '../runtime/types.ts';
import type { ProcessorSettings } from './settings.ts';
import { STAGES, orderStageHandler } from './stages.ts';

export type RunningStage = ServedStage<Order>;

const LIFECYCLE: Partial<Record<TopicKey, LifecycleStage>> = {
  paid: 'paid',
  shipped: 'shipped',
  finished: 'finished',
  failed: 'failed',
};

/** The anchor of live pacing in epoch ms ('' = now). */
export function resolveAnchor(anchor: string | number, now: number): number {
  if (anchor === '') return now;
  if (typeof anchor === 'number') return anchor;
  return /^\d+$/.test(anchor) ? Number(anchor) : Date.parse(anchor);
}

/**
 * Wire one order stage: settings -> registry subjects and encoders -> Kafka clients -> runtime ->
 * HTTP server. Returns once the stage consumes; `stop()` drains it.
 */
export async function startOrderStage(
  stage: Stage,
  s: ProcessorSettings,
  log: Logger,
  onFatal?: (error: unknown) => void,
): Promise<RunningStage> {
  const definition = STAGES[stage];
  const schema = readSchema('order.avsc');
  const serde = new AvroSerde(s.registryUrl);
  const sink = async (key: TopicKey): Promise<Sink<Order>> => {
    const topic = topicName(key, s.topicPrefix);
    const lifecycle = LIFECYCLE[key];
    const problems = (order: Order) => {
      const violations = checkOrder(order, lifecycle);
      return violations.length === 0 ? [] : [describeViolations(violations)];
    };
    return { topic, encoder: await serde.writer<Order>(valueSubject(topic), schema), check: problems };
  };
  const [next, failed, finished] = await Promise.all([
    sink(definition.success),
    sink(definition.failed),
    definition.finished === undefined ? undefined : sink(definition.finished),
  ]);

  const pacing =
    s.speed > 0
      ? {
          speed: s.speed,
          anchorMs: resolveAnchor(s.anchor, Date.now()),
          releaseIntervalMs: s.releaseIntervalMs,
        }
      : undefined;
  const names = pipelineNames(s.topicPrefix);
  const runtime = new StageRuntime<Order>({
    ...pipelineStage({
      stage,
      kafkaBootstrap: s.kafkaBootstrap,
      topicPrefix: s.topicPrefix,
      instanceId: s.instanceId,
      group: s.group,
      log,
      onFatal,
    }),
    inputTopics: [topicName(definition.input, s.topicPrefix)],
    decoder: serde.reader<Order>(schema),
    handle: orderStageHandler(stage, s.seed, PROFILES[s.profile as ProfileName], {
      next,
      failed,
      ...(finished === undefined ? {} : { finished }),
    }),
    batchSize: s.batchSize,
    pacing,
    pendingStore: {
      bootstrap: s.kafkaBootstrap,
      topic: names.pending(stage),
      replicationFactor: s.replicationFactor,
    },
    transactional: s.transactions,
  });
  return serveStage(runtime, { port: s.port, host: s.host, label: { stage }, instanceId: s.instanceId, log });
}
