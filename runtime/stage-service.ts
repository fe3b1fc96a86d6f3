/**
 * The wiring every service on the stage runtime shares: its Kafka client, consumer group and
 * transactional id derived from the pipeline prefix, and (for the services that expose one) the
 * health server started with the runtime and closed with it.
 *
 *   const runtime = new StageRuntime({ ...pipelineStage({ stage, ... }), inputTopics, decoder, handle });
 *   return serveStage(runtime, { port, host, label: { stage }, instanceId, log });
 */
import { startHealthServer, type HealthServer } from '../common/http.ts';
import { createKafka } from '../common/kafka.ts';
import type { Logger } from '../common/logger.ts';
import { collectProcessMetrics } from '../common/metrics.ts';
import { pipelineNames } from '../common/names.ts';
import type { StageRuntime } from './stage-runtime.ts';
import type { StageRuntimeOptions } from './stage-options.ts';

export interface PipelineStageOptions {
  stage: string;
  kafkaBootstrap: string;
  topicPrefix: string;
  instanceId: string;
  /** The consumer group; default the pipeline's group of the stage. */
  group?: string;
  log: Logger;
  onFatal?: (error: unknown) => void;
}

type PipelineStage = Pick<
  StageRuntimeOptions<unknown>,
  'stage' | 'kafka' | 'groupId' | 'instanceId' | 'transactionalId' | 'log' | 'onFatal'
>;

/** A stage's names and client in a pipeline: the part of StageRuntimeOptions the prefix decides. */
export function pipelineStage(o: PipelineStageOptions): PipelineStage {
  const names = pipelineNames(o.topicPrefix);
  return {
    stage: o.stage,
    kafka: createKafka(o.kafkaBootstrap, names.clientId(o.stage, o.instanceId), o.log),
    groupId: o.group || names.group(o.stage),
    instanceId: o.instanceId,
    transactionalId: names.transactionalId(o.stage, o.instanceId),
    log: o.log,
    onFatal: o.onFatal,
  };
}

export interface ServedStage<In> {
  runtime: StageRuntime<In>;
  server: HealthServer;
  /** Drain the runtime, then close the server. */
  stop(): Promise<void>;
}

export interface ServeOptions {
  port: number;
  host: string;
  /** What /health and /ready name the service by (e.g. `{ stage }`), before instance and partitions. */
  label: Record<string, string>;
  instanceId: string;
  log: Logger;
}

/**
 * Start the health server, then the runtime (closing the server again if the runtime does not
 * start); returns once the runtime consumes.
 */
export async function serveStage<In>(runtime: StageRuntime<In>, o: ServeOptions): Promise<ServedStage<In>> {
  collectProcessMetrics();
  const server = await startHealthServer({
    port: o.port,
    host: o.host,
    ready: () => runtime.ready,
    details: () => ({ ...o.label, instance: o.instanceId, partitions: runtime.assignedPartitions }),
    log: o.log,
  });
  try {
    await runtime.start();
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    runtime,
    server,
    async stop() {
      await runtime.stop();
      await server.close();
    },
  };
}
