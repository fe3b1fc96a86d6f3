import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * The root logger: pino JSON on stdout. `ORDERFLOW_LOG_LEVEL` sets the level; secrets are redacted.
 * Services take a child with `service` (and `topic`/`partition` where it applies).
 */
/** Keys whose values never reach a log line, at the top level or one object down. */
const SECRET_KEYS = [
  'password',
  'jdbcPassword',
  'connectionString',
  '["sasl.password"]',
  '["sasl.jaas.config"]',
  '["ssl.key.password"]',
  '["ssl.keystore.password"]',
  '["ssl.key.pem"]',
  '["sasl.oauthbearer.client.secret"]',
  'ORDERFLOW_KAFKA_SASL_PASSWORD',
  'ORDERFLOW_KAFKA_SSL_KEY_PASSWORD',
];
export const REDACTED_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => (k.startsWith('[') ? `*${k}` : `*.${k}`)),
  '*.sasl.password',
];

export function createLogger(
  service: string,
  level = process.env.ORDERFLOW_LOG_LEVEL ?? 'info',
  destination?: DestinationStream,
): Logger {
  const options = {
    name: 'orderflow',
    level,
    base: { service, pid: process.pid },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
