import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaJS } from '@confluentinc/kafka-javascript';
import { describeError, OrderflowError, type ErrorCode } from './errors.ts';

/**
 * The one retry policy of orderflow: exponential backoff with jitter, within a time budget, for
 * errors that waiting can fix; the final error names the last real cause.
 *
 *   await retry(() => admin.listTopics(), {
 *     what: `Kafka at ${bootstrap}`, code: 'ORDERFLOW_BROKER_UNAVAILABLE', budgetMs: 60_000,
 *   });
 */
export interface Backoff {
  /** Delay after the first failure (ms). */
  initialMs: number;
  /** Longest delay (ms). */
  maxMs: number;
  /** Growth per failure (default 2). */
  factor?: number;
  /** Random spread as a fraction of the delay, e.g. 0.2 = +-20% (default 0.2). */
  jitter?: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 200, maxMs: 5_000, factor: 2, jitter: 0.2 };

/** The delay before the next try after `failures` consecutive failures (1 = the first). */
export function backoffDelay(backoff: Backoff, failures: number, random: () => number = Math.random): number {
  const factor = backoff.factor ?? 2;
  const jitter = backoff.jitter ?? 0.2;
  const base = Math.min(backoff.maxMs, backoff.initialMs * factor ** Math.max(0, failures - 1));
  const spread = base * jitter * (2 * random() - 1);
  return Math.max(0, Math.round(Math.min(backoff.maxMs, base + spread)));
}

/** Consecutive failures of a loop that keeps going (a consume loop, a release timer). */
export class FailureStreak {
  private failures = 0;

  constructor(private readonly backoff: Backoff = DEFAULT_BACKOFF) {}

  /** Count one more failure; returns the delay to wait before the next try. */
  fail(): number {
    this.failures++;
    return backoffDelay(this.backoff, this.failures);
  }

  reset(): void {
    this.failures = 0;
  }

  get count(): number {
    return this.failures;
  }
}

const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  // PostgreSQL: the server is starting up or shutting down.
  '57P01',
  '57P02',
  '57P03',
]);

const TRANSIENT_KAFKA_CODES = new Set<number>([
  KafkaJS.ErrorCodes.ERR__TRANSPORT,
  KafkaJS.ErrorCodes.ERR__ALL_BROKERS_DOWN,
  KafkaJS.ErrorCodes.ERR__TIMED_OUT,
  KafkaJS.ErrorCodes.ERR__RESOLVE,
  KafkaJS.ErrorCodes.ERR_REQUEST_TIMED_OUT,
  KafkaJS.ErrorCodes.ERR_NOT_COORDINATOR,
  KafkaJS.ErrorCodes.ERR_COORDINATOR_NOT_AVAILABLE,
  KafkaJS.ErrorCodes.ERR_COORDINATOR_LOAD_IN_PROGRESS,
  KafkaJS.ErrorCodes.ERR_LEADER_NOT_AVAILABLE,
  KafkaJS.ErrorCodes.ERR_NOT_LEADER_FOR_PARTITION,
]);

/**
 * Whether waiting can fix an error: an OrderflowError says so itself; a Kafka client error by its
 * own `retriable` flag or a transport-level code; a network or database error by its system code
 * (also on its `cause`, as fetch reports it).
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof OrderflowError) return error.retriable;
  if (KafkaJS.isKafkaJSError(error as Error)) {
    const e = error as KafkaJS.KafkaJSError;
    return e.retriable || TRANSIENT_KAFKA_CODES.has(e.code);
  }
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return /fetch failed|socket hang up|ECONNREFUSED|ECONNRESET/i.test(describeError(error));
}

/** The innermost cause worth showing a person (fetch's "fetch failed" hides ECONNREFUSED in cause). */
export function rootCause(error: unknown): string {
  const outer = describeError(error);
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause === undefined || cause === null) return outer;
  const inner = rootCause(cause);
  return inner && !outer.includes(inner) ? `${outer}: ${inner}` : outer;
}

export interface RetryOptions {
  /** What is being reached, for the final message (e.g. "Kafka at 127.0.0.1:9092"). */
  what: string;
  /** Code of the error thrown when the budget runs out. */
  code: ErrorCode;
  /** Longest total time to keep trying (ms); 0 = one try. */
  budgetMs: number;
  backoff?: Backoff;
  /** Which errors are worth another try (default: isTransient). Others are thrown at once. */
  retriable?: (error: unknown) => boolean;
  /** Called before each wait, e.g. to log one line per outage. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  /** A hint for the person reading the final error (e.g. "is it running? (orderflow stack status)"). */
  hint?: string;
  signal?: AbortSignal;
}

/**
 * Run `attempt` until it succeeds, the error is not transient, or the budget runs out. Each try
 * should build what it needs afresh (a new client), so that the last error is the real cause and
 * not the state a failed try left behind.
 */
export async function retry<T>(attempt: (n: number) => Promise<T>, o: RetryOptions): Promise<T> {
  const started = Date.now();
  const deadline = started + o.budgetMs;
  const retriable = o.retriable ?? isTransient;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!retriable(error)) throw error;
      const left = deadline - Date.now();
      if (left <= 0 || o.signal?.aborted) {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        throw new OrderflowError(
          o.code,
          `${o.what} did not answer after ${n} ${n === 1 ? 'try' : 'tries'} in ${seconds} s: ${rootCause(error)}` +
            (o.hint ? `; ${o.hint}` : ''),
          { cause: error, retriable: true },
        );
      }
      const delayMs = Math.min(backoffDelay(o.backoff ?? DEFAULT_BACKOFF, n), left);
      o.onRetry?.({ attempt: n, delayMs, error });
      await sleep(delayMs, undefined, o.signal ? { signal: o.signal } : undefined).catch(() => undefined);
    }
  }
}

/** `promise`, or an error naming `what` once `ms` have passed (the timer never outlives it). */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  const controller = new AbortController();
  const timeout = sleep(ms, undefined, { signal: controller.signal }).then(
    () => {
      throw new Error(`${what} timed out after ${ms} ms`);
    },
    () => undefined as never,
  );
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    controller.abort();
  }
}
