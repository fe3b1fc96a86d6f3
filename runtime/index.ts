/**
 * The exactly-once consume-transform-produce kernel every consumer service stands on (the order
 * stages, the splitter, and later services). A service supplies input topics, a reader, and a pure
 * handler that maps one decoded record to zero or more outputs (each for a Sink: topic + encoder +
 * optional checks); the runtime does the consuming, the transactions, dead-lettering, pacing,
 * metrics and graceful stop.
 *
 *   const names = pipelineNames(prefix);
 *   const runtime = new StageRuntime({ stage, kafka, groupId: names.group(stage), instanceId,
 *     transactionalId: names.transactionalId(stage, instanceId), inputTopics, decoder,
 *     handle: (order) => [emit(paidSink, order.order_id, next)], log });
 *   await runtime.start(); ... await runtime.stop();
 *
 * Modules, one concern each: stage-runtime.ts (the batch loop: consume, assignment, metrics),
 * transactional-writer.ts (producer life cycle, commit, abort, recovery), pending-releaser.ts and
 * pending-store.ts (live pacing's parked outputs: restore and release), record.ts (one record:
 * decode, handle, check, encode), chunk.ts (a batch's outputs), client.ts (the seam to the Kafka
 * client), client-errors.ts (reading the client's error flags and codes), stage-service.ts (a
 * service's names and client from the pipeline prefix, and its health server beside the runtime).
 */
export { StageRuntime, type StageRuntimeOptions } from './stage-runtime.ts';
export {
  emit,
  type Output,
  type RecordDecoder,
  type RecordEncoder,
  type RecordHandler,
  type Sink,
  type SourceRecord,
} from './types.ts';
export { DEAD_LETTER_CODES, DLQ_HEADERS, deadLetterMessage } from './dead-letter.ts';
export { Pacer, type PacingOptions } from './pacing.ts';
export { PendingSet, type PendingEntry } from './pending.ts';
export type { PendingStoreOptions } from './pending-releaser.ts';
export { processRecord, type RecordProcessing, type RecordResult } from './record.ts';
export type { RuntimeKafka, RuntimeConsumer, RuntimeProducer, RuntimeAdmin } from './client.ts';
