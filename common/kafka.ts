import { KafkaJS } from '@confluentinc/kafka-javascript';
import type { Logger } from './logger.ts';
import { kafkaPassthrough } from './settings.ts';

export type Kafka = KafkaJS.Kafka;
export type Producer = KafkaJS.Producer;
export type Consumer = KafkaJS.Consumer;
export type Admin = KafkaJS.Admin;
export type KafkaMessage = KafkaJS.KafkaMessage;
export type EachBatchPayload = KafkaJS.EachBatchPayload;

/** librdkafka log lines go through pino, at the level librdkafka chose. */
function pinoBridge(log: Logger): KafkaJS.Logger {
  const make = (l: Logger): KafkaJS.Logger => ({
    info: (message, extra) => l.debug({ ...extra }, message),
    error: (message, extra) => l.error({ ...extra }, message),
    warn: (message, extra) => l.warn({ ...extra }, message),
    debug: (message, extra) => l.trace({ ...extra }, message),
    namespace: (ns) => make(l.child({ kafka: ns })),
    setLogLevel: () => undefined,
  });
  return make(log.child({ component: 'librdkafka' }));
}

/**
 * A Kafka client (the KafkaJS-compatible API of @confluentinc/kafka-javascript, on librdkafka).
 * Settings are librdkafka's own dotted names; ORDERFLOW_KAFKA_* variables pass extra ones through.
 */
export function createKafka(bootstrap: string, clientId: string, log: Logger): Kafka {
  return new KafkaJS.Kafka({
    'bootstrap.servers': bootstrap,
    'client.id': clientId,
    ...kafkaPassthrough(),
    kafkaJS: { logger: pinoBridge(log), logLevel: KafkaJS.logLevel.WARN },
  } as KafkaJS.CommonConstructorConfig);
}

/** Offsets as the consumer commits them: the next offset to read, i.e. last processed + 1. */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}
