/**
 * The sink connectors' configurations: connect/sinks/*.json with their ${PLACEHOLDERS} filled from
 * settings, so one file serves the local stack and docker-compose. Pure apart from reading the files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OrderflowError } from '../common/errors.ts';
import { APICURIO_CONVERTER } from './settings.ts';
import type { ConnectorConfig } from '../common/connect-client.ts';

export const SINKS_DIR = fileURLToPath(new URL('./sinks/', import.meta.url));

export interface SinkValues {
  topicPrefix: string;
  warehouseSchema: string;
  replicationFactor: number;
  valueConverter: string;
  /** The registry's Confluent-compatible URL as orderflow's own services use it. */
  registryUrl: string;
  /** Overrides; empty means "derive". */
  converterRegistryUrl: string;
  databaseUrl: string;
  jdbcUrl: string;
  jdbcUser: string;
  jdbcPassword: string;
}

const PLACEHOLDER = /\$\{([A-Z_]+)\}/g;

/** The placeholder values for the connector templates. */
export function placeholders(v: SinkValues): Record<string, string> {
  const db = jdbcFromDatabaseUrl(v.databaseUrl);
  return {
    TOPIC_PREFIX: v.topicPrefix,
    WAREHOUSE_SCHEMA: v.warehouseSchema,
    REPLICATION_FACTOR: String(v.replicationFactor),
    VALUE_CONVERTER: v.valueConverter,
    CONVERTER_REGISTRY_URL: v.converterRegistryUrl || converterRegistryUrl(v.registryUrl, v.valueConverter),
    JDBC_URL: v.jdbcUrl || db.url,
    JDBC_USER: v.jdbcUser || db.user,
    JDBC_PASSWORD: v.jdbcPassword || db.password,
  };
}

/**
 * The Apicurio converter talks to Apicurio's native API, where it looks schemas up by content id
 * (the id the Confluent-compatible API hands out and the services write in the Confluent framing).
 * The local stack's converter is Apicurio 2.6 (its client speaks the registry's v2 API, which
 * Apicurio 3.x still serves); a 3.x converter needs ORDERFLOW_CONNECT_REGISTRY_URL=.../apis/registry/v3.
 * Confluent's converter talks the Confluent API the services use.
 */
export function converterRegistryUrl(registryUrl: string, valueConverter: string): string {
  const base = registryUrl.replace(/\/+$/, '');
  if (valueConverter === APICURIO_CONVERTER && base.endsWith('/apis/ccompat/v7')) {
    return base.slice(0, -'/apis/ccompat/v7'.length) + '/apis/registry/v2';
  }
  return base;
}

/** postgres://user:pw@host:port/db?x -> jdbc:postgresql://host:port/db?x, user, password. */
export function jdbcFromDatabaseUrl(databaseUrl: string): { url: string; user: string; password: string } {
  let parsed: URL;
  try {
    parsed = new URL(databaseUrl);
  } catch (error) {
    throw new OrderflowError(
      'ORDERFLOW_CONFIG_INVALID',
      `ORDERFLOW_DATABASE_URL is not a URL: ${databaseUrl}`,
      {
        cause: error,
      },
    );
  }
  const port = parsed.port || '5432';
  return {
    url: `jdbc:postgresql://${parsed.hostname}:${port}${parsed.pathname}${parsed.search}`,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
}

/** Fill every ${NAME} in a template; an unknown name is an error, not an empty string. */
export function fill(template: string, values: Record<string, string>, file: string): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new OrderflowError('ORDERFLOW_CONFIG_INVALID', `${file} uses an unknown placeholder \${${name}}`);
    }
    // Values land inside JSON strings: escape them as JSON would.
    return JSON.stringify(value).slice(1, -1);
  });
}

/** The template files, one per split topic, in name order. */
export function sinkFiles(dir = SINKS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

export function renderSink(file: string, values: Record<string, string>, dir = SINKS_DIR): ConnectorConfig {
  const parsed = JSON.parse(fill(readFileSync(dir + file, 'utf8'), values, file)) as ConnectorConfig;
  return { name: parsed.name, config: { ...parsed.config, name: parsed.name } };
}

export function renderSinks(v: SinkValues, dir = SINKS_DIR): ConnectorConfig[] {
  const values = placeholders(v);
  return sinkFiles(dir).map((f) => renderSink(f, values, dir));
}
