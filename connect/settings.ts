import { z } from 'zod';
import { positiveInt, setting } from '../common/config.ts';
import {
  connectionSettings,
  sharedSettings,
  shopDatabaseSetting,
  warehouseSchemaSetting,
} from '../common/settings.ts';

export const APICURIO_CONVERTER = 'io.apicurio.registry.utils.converter.AvroConverter';

/**
 * How the sink connectors are configured. Values that differ between the local stack and
 * docker-compose (converter, registry and database as the Connect worker sees them) are settings;
 * everything else is fixed in connect/sinks/*.json.
 */
export const sinkSettings = {
  connectUrl: connectionSettings.connectUrl,
  registryUrl: connectionSettings.registryUrl,
  databaseUrl: connectionSettings.databaseUrl,
  topicPrefix: connectionSettings.topicPrefix,
  replicationFactor: connectionSettings.replicationFactor,
  warehouseSchema: warehouseSchemaSetting,
  /** The CDC source connector's database (created and migrated by `connect deploy` if missing). */
  shopDatabaseUrl: shopDatabaseSetting,
  /** Seeds the shop database when `connect deploy` creates it. */
  seed: sharedSettings.seed,
  valueConverter: setting(
    'ORDERFLOW_CONNECT_VALUE_CONVERTER',
    z.string().regex(/^[A-Za-z_][\w.$]*$/, 'a Java class name'),
    APICURIO_CONVERTER,
    "The Connect worker's Avro converter class (Confluent's io.confluent.connect.avro.AvroConverter in docker-compose).",
  ),
  converterRegistryUrl: setting(
    'ORDERFLOW_CONNECT_REGISTRY_URL',
    z.url(),
    '',
    "The registry URL as the Connect worker's converter sees it, in the converter's own API. Default: ORDERFLOW_REGISTRY_URL, with Apicurio's /apis/ccompat/v7 turned into its native /apis/registry/v2 for the Apicurio converter (use .../apis/registry/v3 with a 3.x converter).",
  ),
  jdbcUrl: setting(
    'ORDERFLOW_CONNECT_JDBC_URL',
    z.string().regex(/^jdbc:postgresql:\/\//, 'a jdbc:postgresql:// URL'),
    '',
    'PostgreSQL as the Connect worker sees it. Default: derived from ORDERFLOW_DATABASE_URL.',
  ),
  jdbcUser: setting(
    'ORDERFLOW_CONNECT_DB_USER',
    z.string(),
    '',
    'Database user for the sink. Default: the user in ORDERFLOW_DATABASE_URL.',
  ),
  jdbcPassword: setting(
    'ORDERFLOW_CONNECT_DB_PASSWORD',
    z.string(),
    '',
    'Database password for the sink. Default: the password in ORDERFLOW_DATABASE_URL.',
  ),
  waitSeconds: setting(
    'ORDERFLOW_CONNECT_WAIT_SECONDS',
    positiveInt,
    90,
    'How long `connect deploy` waits for the connectors and their tasks to be RUNNING.',
  ),
};

/** Settings of `orderflow reconcile`. */
export const reconcileSettings = {
  kafkaBootstrap: connectionSettings.kafkaBootstrap,
  registryUrl: connectionSettings.registryUrl,
  databaseUrl: connectionSettings.databaseUrl,
  topicPrefix: connectionSettings.topicPrefix,
  warehouseSchema: warehouseSchemaSetting,
  timeoutSeconds: setting(
    'ORDERFLOW_RECONCILE_TIMEOUT_SECONDS',
    positiveInt,
    300,
    'How long reconcile may take to read finished_orders and failed_orders to their end.',
    { flag: '--timeout <seconds>' },
  ),
};
