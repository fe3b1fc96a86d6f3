import type { KafkaJS } from '@confluentinc/kafka-javascript';
import type { ErrorCode } from '../common/errors.ts';
import type { TopicMessages } from './client.ts';
import type { PendingEntry } from './pending.ts';
import type { RecordResult } from './record.ts';

/** What one batch turns into before its transaction: messages per topic and what to count. */
export interface Chunk {
  messages: Map<string, KafkaJS.Message[]>;
  lastOffset: string | undefined;
  records: number;
  outCounts: Map<string, number>;
  failures: number;
  deadLetters: Map<ErrorCode, number>;
  origins: number[];
  /** Live pacing: outputs not due yet, written to the pending topic in this chunk's transaction. */
  pending: PendingEntry[];
}

export function newChunk(): Chunk {
  return {
    messages: new Map(),
    lastOffset: undefined,
    records: 0,
    outCounts: new Map(),
    failures: 0,
    deadLetters: new Map(),
    origins: [],
    pending: [],
  };
}

/** Add one record's result (outputs or its dead letter) at input offset `offset`. */
export function addResult(chunk: Chunk, result: RecordResult, offset: string): void {
  chunk.records++;
  chunk.lastOffset = offset;
  if (result.kind === 'dead-letter') {
    pushMessage(chunk.messages, result.topic, result.message);
    chunk.deadLetters.set(result.code, (chunk.deadLetters.get(result.code) ?? 0) + 1);
    return;
  }
  for (const { topic, message, failure } of result.messages) {
    pushMessage(chunk.messages, topic, message);
    chunk.outCounts.set(topic, (chunk.outCounts.get(topic) ?? 0) + 1);
    if (failure) chunk.failures++;
  }
  if (result.originTime !== undefined) chunk.origins.push(result.originTime);
}

export function pushMessage(
  map: Map<string, KafkaJS.Message[]>,
  topic: string,
  message: KafkaJS.Message,
): void {
  const list = map.get(topic);
  if (list) list.push(message);
  else map.set(topic, [message]);
}

export function topicMessages(map: Map<string, KafkaJS.Message[]>): TopicMessages {
  return [...map].map(([topic, messages]) => ({ topic, messages }));
}
