import { KafkaJS } from '@confluentinc/kafka-javascript';
import { OrderflowError } from './errors.ts';
import type { Logger } from './logger.ts';
import { RepeatFilter } from './log-repeats.ts';
import { kafkaPassthrough } from './settings.ts';

export type Kafka = KafkaJS.Kafka;
export type Producer = KafkaJS.Producer;
export type Consumer = KafkaJS.Consumer;
export type Admin = KafkaJS.Admin;
export type KafkaMessage = KafkaJS.KafkaMessage;
export type EachBatchPayload = KafkaJS.EachBatchPayload;

/**
 * How every service that reads the pipeline's transactional topics consumes (the stage runtime, the
 * stock service, the benchmarks' raw consumers): from the start, committed records only, eager
 * assignment (cooperative rebalancing can silently stop this client's consumer,
 * confluent-kafka-javascript #476), and a lost member noticed within seconds.
 */
export const PIPELINE_CONSUMER = {
  'auto.offset.reset': 'earliest',
  'isolation.level': 'read_committed',
  'partition.assignment.strategy': 'roundrobin',
  'session.timeout.ms': 10_000,
  'heartbeat.interval.ms': 1_000,
} as const;

/** librdkafka's words for a refused login or TLS handshake (it reports them as log lines). */
const SECURITY_FAILURE =
  /SASL authentication error|Authentication failed|SSL handshake failed|certificate verify failed/i;

/**
 * librdkafka log lines go through pino, at the level librdkafka chose; a warning or error repeated
 * while a broker is away is logged once a minute with the count of the ones in between.
 */
function pinoBridge(log: Logger, onSecurityFailure: (message: string) => void): KafkaJS.Logger {
  const seen = (message: string) => {
    if (SECURITY_FAILURE.test(message)) onSecurityFailure(message);
  };
  const repeats = new RepeatFilter();
  const emit = (level: 'warn' | 'error', l: Logger, message: string, extra: object | undefined) => {
    seen(message);
    const before = repeats.admit(message);
    if (before === undefined) return;
    l[level]({ ...extra, ...(before > 0 ? { repeatedSinceLastLine: before } : {}) }, message);
  };
  const make = (l: Logger): KafkaJS.Logger => ({
    info: (message, extra) => l.debug({ ...extra }, message),
    error: (message, extra) => emit('error', l, message, extra),
    warn: (message, extra) => emit('warn', l, message, extra),
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
  let failure: string | undefined;
  const kafka = new KafkaJS.Kafka({
    'bootstrap.servers': bootstrap,
    'client.id': clientId,
    ...kafkaPassthrough(),
    kafkaJS: {
      logger: pinoBridge(log, (message) => {
        failure = message.replace(/^\[thrd:[^\]]*\]: /, '');
      }),
      logLevel: KafkaJS.logLevel.WARN,
    },
  } as KafkaJS.CommonConstructorConfig);
  securityFailures.set(kafka, () => failure);
  return kafka;
}

const securityFailures = new WeakMap<Kafka, () => string | undefined>();

/**
 * The last refused login or TLS handshake one of this client's connections reported, if any: the
 * thrown error of such a connect only says "Broker transport failure".
 */
export function securityFailure(kafka: Kafka): string | undefined {
  return securityFailures.get(kafka)?.();
}

/** An error that names the refused login and the settings to check. */
export function authFailedError(bootstrap: string, failure: string): OrderflowError {
  return new OrderflowError(
    'ORDERFLOW_KAFKA_AUTH_FAILED',
    `Kafka at ${bootstrap} refused the connection: ${failure}. Check ORDERFLOW_KAFKA_SECURITY_PROTOCOL, ORDERFLOW_KAFKA_SASL_MECHANISMS, ORDERFLOW_KAFKA_SASL_USERNAME, ORDERFLOW_KAFKA_SASL_PASSWORD and ORDERFLOW_KAFKA_SSL_CA_LOCATION`,
  );
}

/** Offsets as the consumer commits them: the next offset to read, i.e. last processed + 1. */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}
