import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { describeError, isOrderflowError, type ErrorCode } from '../common/errors.ts';
import { DEAD_LETTER_CODES, deadLetterMessage } from './dead-letter.ts';
import type { RecordDecoder, RecordHandler, SourceRecord } from './types.ts';

/** What one input record turns into: records to write, or a dead-letter copy of itself. */
export type RecordResult =
  | {
      kind: 'output';
      messages: { topic: string; message: KafkaJS.Message; failure: boolean }[];
      /** Latest releaseAt among the outputs (undefined when none set one). */
      releaseAt: number | undefined;
      /** Earliest originTime among the outputs (undefined when none set one). */
      originTime: number | undefined;
    }
  | { kind: 'dead-letter'; topic: string; message: KafkaJS.Message; code: ErrorCode; error: string };

export interface RecordProcessing<In> {
  stage: string;
  decoder: RecordDecoder<In>;
  handle: RecordHandler<In>;
  /** The dead-letter topic for an input topic. */
  deadLetterTopic: (inputTopic: string) => string;
}

/**
 * Decode, handle, check and encode one record, synchronously (the decoder must have been prepared
 * for the batch). Decode failures, handler errors with a dead-letter code, outputs that fail their
 * sink's check and outputs that do not fit their schema all become a dead-letter result. Any other
 * error is thrown: it is a bug, and the stage stops rather than skip records.
 */
export function processRecord<In>(
  processing: RecordProcessing<In>,
  source: SourceRecord,
  value: Buffer | null,
  headers?: KafkaJS.IHeaders,
): RecordResult {
  const deadLetter = (code: ErrorCode, error: string): RecordResult => ({
    kind: 'dead-letter',
    topic: processing.deadLetterTopic(source.topic),
    message: deadLetterMessage(source, value, headers, processing.stage, code, error),
    code,
    error,
  });

  let decoded: In;
  try {
    decoded = processing.decoder.decode(value);
  } catch (error) {
    return deadLetter('ORDERFLOW_DECODE_FAILED', describeError(error));
  }

  let outputs;
  try {
    outputs = processing.handle(decoded, source);
  } catch (error) {
    if (isOrderflowError(error) && DEAD_LETTER_CODES.has(error.code))
      return deadLetter(error.code, error.message);
    throw error;
  }

  const messages: { topic: string; message: KafkaJS.Message; failure: boolean }[] = [];
  let releaseAt: number | undefined;
  let originTime: number | undefined;
  for (const output of outputs) {
    const problems = output.sink.check?.(output.value) ?? [];
    if (problems.length > 0) {
      return deadLetter(
        'ORDERFLOW_INVARIANT_VIOLATED',
        `output for ${output.sink.topic}: ${problems.join('; ')}`,
      );
    }
    let encoded: Buffer;
    try {
      encoded = output.sink.encoder.encode(output.value);
    } catch (error) {
      return deadLetter(
        'ORDERFLOW_INVARIANT_VIOLATED',
        `output for ${output.sink.topic} does not fit its schema: ${describeError(error)}`,
      );
    }
    messages.push({
      topic: output.sink.topic,
      message: { key: output.key, value: encoded },
      failure: output.failure === true,
    });
    if (output.releaseAt !== undefined) releaseAt = Math.max(releaseAt ?? output.releaseAt, output.releaseAt);
    if (output.originTime !== undefined)
      originTime = Math.min(originTime ?? output.originTime, output.originTime);
  }
  return { kind: 'output', messages, releaseAt, originTime };
}
