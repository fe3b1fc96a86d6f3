/**
 * The generic exactly-once stage runtime. A stage (payment, shipping, delivery, the splitter...)
 * supplies input topics, a reader, and a pure handler that maps one decoded record to zero or more
 * outputs (each for a Sink: topic + encoder + optional checks); the runtime does the consuming,
 * the transactions, dead-lettering, pacing, metrics and graceful stop.
 *
 *   const runtime = new StageRuntime({ stage, kafka, groupId, instanceId, inputTopics, decoder,
 *     handle: (order) => [emit(paidSink, order.order_id, next)], log });
 *   await runtime.start(); ... await runtime.stop();
 */
export { StageRuntime, type StageRuntimeOptions } from './stage-runtime.ts';
export { emit, type Output, type RecordHandler, type Sink, type SourceRecord } from './types.ts';
export { DEAD_LETTER_CODES, DLQ_HEADERS, deadLetterMessage } from './dead-letter.ts';
export { Pacer, type PacingOptions } from './pacing.ts';
export { PendingSet, pendingTopicName, type PendingEntry } from './pending.ts';
export { processRecord, type RecordProcessing, type RecordResult } from './record.ts';
