/** Writes one value in the sink's wire format (common/serde.ts's Encoder: Confluent-framed Avro). */
export interface RecordEncoder<T> {
  encode(value: T): Buffer;
}

/**
 * Reads input values: `prepare` resolves what a batch needs (writer schemas) so that `decode` is
 * synchronous; `decode` throws ORDERFLOW_DECODE_FAILED for a record that cannot be read.
 * common/serde.ts's Decoder is the real one.
 */
export interface RecordDecoder<T> {
  prepare(values: Iterable<Buffer | null>): Promise<void>;
  decode(value: Buffer | null): T;
}

/** Where a handler's output goes: a topic, the encoder registered for its value subject, and checks. */
export interface Sink<T> {
  topic: string;
  encoder: RecordEncoder<T>;
  /**
   * Problems with a value about to be written (empty = fine), e.g. the order invariants. A record
   * whose output has problems goes to the dead-letter topic instead (ORDERFLOW_INVARIANT_VIOLATED).
   */
  check?: (value: T) => string[];
}

/** One record a handler wants written, built with `emit()`. */
export interface Output {
  sink: Sink<unknown>;
  key: string | Buffer;
  value: unknown;
  /**
   * Event time (UTC ms) at which this record happens; with live pacing the runtime holds it until
   * that simulated time is reached. Backfill (no pacing) ignores it.
   */
  releaseAt?: number;
  /** Event time (UTC ms) the record's story began (e.g. order_date), for the end-to-end latency metric. */
  originTime?: number;
  /** Marks a business failure (e.g. an order routed to failed_orders), for the failed-records metric. */
  failure?: boolean;
}

/** Build a typed output for a sink (keeps value and encoder types in step). */
export function emit<T>(
  sink: Sink<T>,
  key: string | Buffer,
  value: T,
  extra: { releaseAt?: number; originTime?: number; failure?: boolean } = {},
): Output {
  return { sink: sink as Sink<unknown>, key, value, ...extra };
}

/** Where an input record came from. */
export interface SourceRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  timestamp: string;
}

/**
 * The pure part of a stage: one decoded input record in, zero or more output records out.
 * Throwing an OrderflowError with ORDERFLOW_INVARIANT_VIOLATED or ORDERFLOW_DECODE_FAILED sends the
 * input record to the dead-letter topic; any other error is a bug and stops the service.
 */
export type RecordHandler<In> = (value: In, source: SourceRecord) => Output[];
