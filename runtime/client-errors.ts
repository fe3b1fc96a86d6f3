import { KafkaJS } from '@confluentinc/kafka-javascript';

/**
 * How the runtime reads the Kafka client's errors: by the client's own flags (`fatal`, `abortable`,
 * `retriable`) and named librdkafka codes, never by message text or class name.
 */
const codes = KafkaJS.ErrorCodes;

/** Rebalance events of the consumer's rebalance callback. */
export const PARTITIONS_ASSIGNED = codes.ERR__ASSIGN_PARTITIONS;
export const PARTITIONS_REVOKED = codes.ERR__REVOKE_PARTITIONS;

/** Codes after which the transactional producer cannot go on and must be created anew. */
const PRODUCER_GONE = new Set<number>([
  codes.ERR__FENCED,
  codes.ERR_PRODUCER_FENCED,
  codes.ERR_INVALID_PRODUCER_EPOCH,
  codes.ERR__FATAL,
]);

/** An error raised by the Kafka client (broker, network, client state), not by orderflow. */
export function isClientError(error: unknown): error is KafkaJS.KafkaJSError {
  return error instanceof Error && KafkaJS.isKafkaJSError(error);
}

/** Another producer took this one's transactional id (a newer instance started). */
export function isFenced(error: unknown): boolean {
  return (
    isClientError(error) &&
    (error.code === codes.ERR__FENCED ||
      error.code === codes.ERR_PRODUCER_FENCED ||
      error.code === codes.ERR_INVALID_PRODUCER_EPOCH)
  );
}

/**
 * Abort the open transaction after a failure, if there is one: resolves to the abort's own error
 * (a fenced producer's abort says it was fenced), or null once it is aborted or nothing was open.
 */
export async function abortOpenTransaction(producer: {
  isActive(): boolean;
  abort(): Promise<void>;
}): Promise<unknown> {
  if (!producer.isActive()) return null;
  return producer.abort().then(
    () => null,
    (error: unknown) => error,
  );
}

/**
 * What to do with the producer after a failed transaction:
 * - 'abort': abort the transaction and keep the producer (abortable or retriable errors, and
 *   anything that is not the client's: a stale batch, an encoder problem);
 * - 'recreate': the producer is fenced (another instance took its transactional id) or in a fatal
 *   state; only a new producer (a new epoch) can go on.
 */
export function afterFailedTransaction(error: unknown): 'abort' | 'recreate' {
  if (!isClientError(error)) return 'abort';
  if (error.fatal || PRODUCER_GONE.has(error.code)) return 'recreate';
  return 'abort';
}
