import { z } from 'zod';
import { port, positiveInt, setting } from './config.ts';

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
  ),
  topicPrefix: setting(
    'ORDERFLOW_TOPIC_PREFIX',
    z.string().regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-"'),
    '',
    'Prefix for every topic name (lets several pipelines share one cluster).',
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

/**
 * Extra librdkafka properties from the environment, under librdkafka's own names:
 * ORDERFLOW_KAFKA_SECURITY_PROTOCOL=SASL_SSL becomes security.protocol=SASL_SSL.
 * (ORDERFLOW_KAFKA_BOOTSTRAP and ORDERFLOW_KAFKA_PORT are orderflow settings, not passed through.)
 */
export function kafkaPassthrough(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('ORDERFLOW_KAFKA_') || value === undefined) continue;
    const rest = name.slice('ORDERFLOW_KAFKA_'.length);
    if (rest === 'BOOTSTRAP' || rest === 'PORT' || rest === 'CONTROLLER_PORT') continue;
    out[rest.toLowerCase().replaceAll('_', '.')] = value;
  }
  return out;
}
