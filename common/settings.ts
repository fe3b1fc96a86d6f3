import { hostname } from 'node:os';
import { z } from 'zod';
import { integerIn, nonNegativeInt, port, positiveInt, setting } from './config.ts';
import { SCHEMA_NAME } from './database.ts';

/**
 * Where the services find Kafka, the registry, Connect and PostgreSQL. The defaults point at the
 * local stack (`orderflow stack up`); set these to run against another cluster.
 */
export const connectionSettings = {
  kafkaBootstrap: setting(
    'ORDERFLOW_KAFKA_BOOTSTRAP',
    z.string().regex(/^[^\s,]+:\d+(,[^\s,]+:\d+)*$/, 'host:port[,host:port...]'),
    `127.0.0.1:${process.env.ORDERFLOW_KAFKA_PORT ?? '9092'}`,
    'Kafka bootstrap servers (bootstrap.servers).',
  ),
  registryUrl: setting(
    'ORDERFLOW_REGISTRY_URL',
    z.url(),
    `http://127.0.0.1:${process.env.ORDERFLOW_REGISTRY_PORT ?? '8081'}/apis/ccompat/v7`,
    'Schema registry base URL with the Confluent REST API.',
  ),
  connectUrl: setting(
    'ORDERFLOW_CONNECT_URL',
    z.url(),
    `http://127.0.0.1:${process.env.ORDERFLOW_CONNECT_PORT ?? '8083'}`,
    'Kafka Connect REST URL.',
  ),
  databaseUrl: setting(
    'ORDERFLOW_DATABASE_URL',
    z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL'),
    `postgres://orderflow@127.0.0.1:${process.env.ORDERFLOW_PG_PORT ?? '5544'}/orderflow`,
    'PostgreSQL connection URL of the warehouse.',
    { flag: '--database-url <url>' },
  ),
  topicPrefix: setting(
    'ORDERFLOW_TOPIC_PREFIX',
    z.string().regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-"'),
    '',
    'Prefix for every topic name (lets several pipelines share one cluster).',
    { flag: '--topic-prefix <prefix>' },
  ),
  partitions: setting(
    'ORDERFLOW_PARTITIONS',
    positiveInt,
    6,
    'Partitions per topic when orderflow creates topics.',
  ),
  replicationFactor: setting(
    'ORDERFLOW_REPLICATION_FACTOR',
    positiveInt,
    1,
    'Replication factor of topics orderflow creates (1 on the single-node local stack).',
  ),
};

export { port };

/** An instance name or consumer group: letters, digits, ".", "_" and "-". */
export const instanceName = z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-"');
/** This machine's name as an instance name. */
export const HOST_NAME = hostname().replace(/[^A-Za-z0-9._-]/g, '-') || 'host';

/**
 * Settings that several commands read: one definition each (variable, validator, doc, flag), so
 * ORDERFLOW_SEED or --batch-size means the same to every command that takes it.
 */
export const sharedSettings = {
  seed: setting(
    'ORDERFLOW_SEED',
    nonNegativeInt,
    1,
    "Global seed of every random draw: the generated orders and (with the order_id and the stage) each stage's outcomes, so the same seed gives the same outputs and a replay the same results.",
    { flag: '--seed <n>' },
  ),
  batchSize: setting(
    'ORDERFLOW_BATCH_SIZE',
    positiveInt,
    1000,
    'Most records per consumed batch (js.consumer.max.batch.size) of a stage or the splitter; the batches ready together share one Kafka transaction (group commit).',
    { flag: '--batch-size <n>', replaces: ['ORDERFLOW_SPLITTER_BATCH_SIZE'] },
  ),
  instanceId: setting(
    'ORDERFLOW_INSTANCE_ID',
    instanceName,
    `${HOST_NAME}-${process.pid}`,
    'Instance name, unique among running instances of a service (part of the transactional id). Give each replica a stable one so a restart fences its predecessor at once.',
    { flag: '--instance-id <id>', replaces: ['ORDERFLOW_SPLITTER_INSTANCE'] },
  ),
};

/**
 * The HTTP server of a long-running service (/health, /ready, /metrics): its port, whose default is
 * the service's own, and the address it binds.
 */
export function httpSettings(defaultPort: number) {
  return {
    port: setting(
      'ORDERFLOW_HTTP_PORT',
      integerIn(0, 65535),
      defaultPort,
      'Port of /health, /ready and /metrics (0 = any free port).',
      { flag: '--port <port>' },
    ),
    host: setting(
      'ORDERFLOW_HTTP_HOST',
      z.string().min(1),
      '127.0.0.1',
      'Address the HTTP server binds (0.0.0.0 in a container, so other services can reach it).',
      { flag: '--host <address>' },
    ),
  };
}

/** ORDERFLOW_KAFKA_* variables that are orderflow's own settings, not librdkafka properties. */
const STACK_KAFKA_SETTINGS = new Set(['BOOTSTRAP', 'PORT', 'CONTROLLER_PORT', 'SASL_PORT']);

/**
 * Extra librdkafka properties from the environment, under librdkafka's own names:
 * ORDERFLOW_KAFKA_SECURITY_PROTOCOL=SASL_SSL becomes security.protocol=SASL_SSL.
 * (ORDERFLOW_KAFKA_BOOTSTRAP and the stack's ORDERFLOW_KAFKA_*PORT are orderflow settings, not passed through.)
 */
export function kafkaPassthrough(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('ORDERFLOW_KAFKA_') || value === undefined) continue;
    const rest = name.slice('ORDERFLOW_KAFKA_'.length);
    if (STACK_KAFKA_SETTINGS.has(rest)) continue;
    out[rest.toLowerCase().replaceAll('_', '.')] = value;
  }
  return out;
}

/** librdkafka properties whose values are secrets: shown as [redacted] wherever orderflow prints them. */
export function isSecretKafkaProperty(property: string): boolean {
  return /password|secret|jaas|\.pem$|token/.test(property);
}

/** The passthrough in effect as `VARIABLE -> property = value` lines, secrets masked. */
export function describeKafkaPassthrough(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.entries(kafkaPassthrough(env))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([property, value]) => {
      const variable = `ORDERFLOW_KAFKA_${property.toUpperCase().replaceAll('.', '_')}`;
      return `${variable} -> ${property} = ${isSecretKafkaProperty(property) ? '[redacted]' : value}`;
    });
}

/** The PostgreSQL schema of the warehouse, read by every service that writes or reads it. */
export const warehouseSchemaSetting = setting(
  'ORDERFLOW_WAREHOUSE_SCHEMA',
  z.string().regex(SCHEMA_NAME, 'lower-case letters, digits and "_", starting with a letter or "_"'),
  'public',
  'PostgreSQL schema holding the landing tables and the warehouse (one per pipeline or test run).',
  { flag: '--schema <name>' },
);

/**
 * The shop's operational database (products, prices, stock, restocks): its own database in the same
 * cluster as the warehouse, created by `orderflow shop migrate` (and by `connect deploy` and `run`).
 */
export const shopDatabaseSetting = setting(
  'ORDERFLOW_SHOP_DATABASE_URL',
  z
    .string()
    .regex(
      /^postgres(ql)?:\/\/[^/]+\/[a-z_][a-z0-9_]{0,62}(\?.*)?$/,
      'a postgres:// URL whose database name is lower-case letters, digits and "_"',
    ),
  `postgres://orderflow@127.0.0.1:${process.env.ORDERFLOW_PG_PORT ?? '5544'}/shop`,
  "PostgreSQL connection URL of the shop's operational database (created if missing; the connecting user needs CREATEDB and REPLICATION).",
  { flag: '--shop-database-url <url>' },
);
