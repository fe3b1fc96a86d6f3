/**
 * The closed set of orderflow error codes. Every error the product raises on purpose carries one,
 * with a cause and whether retrying can help. The README lists them.
 */
export const ERROR_CODES = {
  ORDERFLOW_CONFIG_INVALID: 'A setting (flag or environment variable) has a value that is not allowed.',
  ORDERFLOW_USAGE: 'A command was called with flags that do not fit together.',
  ORDERFLOW_STACK_START_FAILED: 'A component of the local stack did not become healthy.',
  ORDERFLOW_STACK_BUSY: 'Another stack up or down held the local stack for too long.',
  ORDERFLOW_STACK_NOT_INSTALLED:
    'The JVM artifacts or PostgreSQL binaries are missing: run scripts/setup.sh.',
  ORDERFLOW_BROKER_UNAVAILABLE: 'Kafka did not answer within the retry budget.',
  ORDERFLOW_KAFKA_AUTH_FAILED:
    'Kafka refused the SASL credentials or the TLS handshake (ORDERFLOW_KAFKA_SASL_* / _SSL_* settings).',
  ORDERFLOW_REGISTRY_UNAVAILABLE: 'The schema registry did not answer within the retry budget.',
  ORDERFLOW_DATABASE_UNAVAILABLE: 'PostgreSQL did not answer within the retry budget.',
  ORDERFLOW_CONNECT_UNAVAILABLE: 'Kafka Connect did not answer within the retry budget.',
  ORDERFLOW_SCHEMA_INCOMPATIBLE:
    'A schema change breaks compatibility with the registered or released schema.',
  ORDERFLOW_DELIVERY_FAILED: 'Kafka rejected a produced record; nothing was acknowledged as sent.',
  ORDERFLOW_DECODE_FAILED: 'A record could not be decoded with its registered schema (sent to the DLQ).',
  ORDERFLOW_INVARIANT_VIOLATED: 'An order broke one of the lifecycle invariants (sent to the DLQ).',
  ORDERFLOW_TRANSACTION_FAILED: 'A Kafka transaction could not be committed.',
  ORDERFLOW_CONNECTOR_FAILED:
    'Kafka Connect rejected a connector configuration, or a connector or task FAILED.',
  ORDERFLOW_DLQ_ALREADY_HANDLED:
    'A dead letter was already replayed or discarded: it is handled once (HTTP 409 in the dashboard).',
  ORDERFLOW_RECONCILE_MISMATCH: 'Kafka and PostgreSQL disagree about the landed orders.',
  ORDERFLOW_CHECK_FAILED: 'A data-quality assertion failed.',
  ORDERFLOW_MIGRATION_FAILED:
    'A warehouse migration could not be applied, or an applied migration file was changed.',
  ORDERFLOW_FLINK_UNAVAILABLE:
    'The Flink SQL Gateway or cluster did not answer (`orderflow stack status` shows which part is down).',
  ORDERFLOW_SQL_FAILED: 'Flink rejected or failed a SQL statement (its message gives line and column).',
  ORDERFLOW_TOPIC_MISSING:
    'A Flink SQL table was queried whose Kafka topic does not exist (`orderflow topics` creates them).',
  ORDERFLOW_GENERATOR_RUNNING:
    'Another generator is producing to the same pipeline on this machine: stop it first (its pid is named).',
  ORDERFLOW_GENERATOR_REPLACED:
    'A newer generator for the same pipeline took over; this one stopped, and what it committed stays, once.',
  ORDERFLOW_FTP_UNAVAILABLE:
    'The FTP server of the support reports refused the login or did not answer (ORDERFLOW_FTP_* settings).',
  ORDERFLOW_SHOP_MISMATCH:
    'The shop database and its CDC copy in the warehouse disagree (`orderflow shop reconcile` names each row).',
  ORDERFLOW_RUN_STEP_FAILED:
    'A step of `orderflow run` (a migration, a connector deployment, the backfill) exited non-zero.',
  ORDERFLOW_REQUEST_INVALID:
    'An order API request broke its rules: bad JSON, a missing or wrong field, an unknown SKU, a bad ?wait= (HTTP 400 names the field).',
  ORDERFLOW_IDEMPOTENCY_CONFLICT:
    'An Idempotency-Key that placed an order was sent again with another order (HTTP 409): use a new key for a new order.',
  ORDERFLOW_ORDER_NOT_FOUND: 'No lifecycle topic holds an order with this id (HTTP 404 from the order API).',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class OrderflowError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  /** What the error is about, as properties (the setting and its value, the failed step ...). */
  readonly context: Readonly<Record<string, unknown>>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; retriable?: boolean; context?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OrderflowError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.context = Object.freeze({ ...options.context });
  }
}

export function isOrderflowError(error: unknown): error is OrderflowError {
  return error instanceof OrderflowError;
}

/** A one-line description of any thrown value, for logs and DLQ headers. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
