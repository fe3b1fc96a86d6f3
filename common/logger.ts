import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The root logger: pino JSON on stdout. `ORDERFLOW_LOG_LEVEL` sets the level; secrets are redacted.
 * Services take a child with `service` (and `topic`/`partition` where it applies).
 */
export function createLogger(service: string, level = process.env.ORDERFLOW_LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name: 'orderflow',
    level,
    base: { service, pid: process.pid },
    redact: {
      paths: ['*.password', '*.sasl.password', '*["sasl.password"]', '*.connectionString', 'password'],
      censor: '[redacted]',
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
