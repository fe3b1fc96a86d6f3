import type { KafkaJS } from '@confluentinc/kafka-javascript';
import type { ErrorCode } from '../common/errors.ts';
import type { SourceRecord } from './types.ts';

/** Header names on dead-letter records. */
export const DLQ_HEADERS = {
  error: 'orderflow.error',
  code: 'orderflow.error.code',
  stage: 'orderflow.stage',
  sourceTopic: 'orderflow.source.topic',
  sourcePartition: 'orderflow.source.partition',
  sourceOffset: 'orderflow.source.offset',
} as const;

/** Error codes that dead-letter a record; any other error stops the stage. */
export const DEAD_LETTER_CODES: ReadonlySet<ErrorCode> = new Set([
  'ORDERFLOW_DECODE_FAILED',
  'ORDERFLOW_INVARIANT_VIOLATED',
]);

/**
 * The dead-letter copy of an input record: the original key, value and headers unchanged, plus
 * headers naming the error, its code, the stage and the source topic/partition/offset.
 */
export function deadLetterMessage(
  source: SourceRecord,
  value: Buffer | null,
  headers: KafkaJS.IHeaders | undefined,
  stage: string,
  code: ErrorCode,
  error: string,
): KafkaJS.Message {
  return {
    key: source.key,
    value,
    headers: {
      ...headers,
      [DLQ_HEADERS.error]: error,
      [DLQ_HEADERS.code]: code,
      [DLQ_HEADERS.stage]: stage,
      [DLQ_HEADERS.sourceTopic]: source.topic,
      [DLQ_HEADERS.sourcePartition]: String(source.partition),
      [DLQ_HEADERS.sourceOffset]: source.offset,
    },
  };
}
