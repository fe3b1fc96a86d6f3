/** What a stage gives the runtime: its names, topics, decoder, pure handler, pacing and client settings. */
import type { Logger } from '../common/logger.ts';
import type { RuntimeKafka } from './client.ts';
import type { PacingOptions } from './pacing.ts';
import type { PendingStoreOptions } from './pending-releaser.ts';
import type { RecordDecoder, RecordHandler } from './types.ts';

export interface StageRuntimeOptions<In> {
  /** Stage name: used in logs, metrics and DLQ headers. */
  stage: string;
  /** The Kafka client (createKafka() in services; a fake in unit tests). */
  kafka: RuntimeKafka;
  /** Consumer group shared by all instances of the stage (pipelineNames(prefix).group(stage)). */
  groupId: string;
  /** Unique per running instance; stable across restarts of the same instance. */
  instanceId: string;
  /**
   * The instance's transactional id (pipelineNames(prefix).transactionalId(stage, instanceId)):
   * stable across restarts so that a restart fences its predecessor at once, and prefixed so that
   * pipelines sharing a cluster never fence each other.
   */
  transactionalId: string;
  inputTopics: string[];
  /** Reader for the input values (prepared per batch, then decoding is synchronous). */
  decoder: RecordDecoder<In>;
  handle: RecordHandler<In>;
  /** Dead-letter topic for an input topic; default `<topic>.dlq`. */
  deadLetterTopic?: (inputTopic: string) => string;
  /** Most records per consumed batch (js.consumer.max.batch.size); one transaction per batch. */
  batchSize?: number;
  /** Live pacing; omit for backfill (never waits). Needs `pendingStore` and exactly one input topic. */
  pacing?: PacingOptions;
  /** Live pacing: where outputs that are not due yet are kept (see pacing.ts). */
  pendingStore?: PendingStoreOptions;
  /**
   * Exactly-once (default true). false: idempotent producer, offsets stored once the outputs are
   * acknowledged and auto-committed (at-least-once); only for measuring what transactions cost.
   */
  transactional?: boolean;
  /** Extra librdkafka consumer / producer properties (dotted names). */
  consumerConfig?: Record<string, string | number | boolean>;
  producerConfig?: Record<string, string | number | boolean>;
  log: Logger;
  /**
   * How long start-up keeps retrying a broker that does not answer (ms; default 180 s, the stack's
   * own start timeout: a broker restart on a busy two-core machine takes up to a minute): a service
   * started while the broker restarts waits for it instead of exiting.
   */
  startBudgetMs?: number;
  /** Called once when the stage hits an error it must not skip (a bug); the service should exit non-zero. */
  onFatal?: (error: unknown) => void;
}
