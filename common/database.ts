/**
 * PostgreSQL connections shared by the services that read or write the warehouse (the warehouse
 * commands, reconcile, the dashboard) and the shop database: one connect with a clear error, schema-name
 * rules, quoting.
 */
import pg from 'pg';
import { OrderflowError, describeError } from './errors.ts';

/** A PostgreSQL schema name orderflow accepts: lower-case, unquoted-safe, at most 63 bytes. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new OrderflowError(
      'ORDERFLOW_CONFIG_INVALID',
      `schema ${JSON.stringify(schema)} is not valid: use lower-case letters, digits and "_", starting with a letter or "_", at most 63 characters`,
    );
  }
  return schema;
}

/**
 * A client whose search_path is the warehouse schema, so the same SQL serves the default `public`
 * warehouse, a prefixed pipeline's schema and a test's throw-away schema.
 */
export async function connectWarehouse(databaseUrl: string, schema: string): Promise<pg.Client> {
  assertSchemaName(schema);
  // PostgreSQL hands back numeric and bigint as strings; keep them exact and let callers decide.
  return openClient({ connectionString: databaseUrl, options: `-c search_path=${schema}` }, 'PostgreSQL');
}

/**
 * A connected client; a failure to connect is ORDERFLOW_DATABASE_UNAVAILABLE (retriable), naming
 * `what` and the URL (password redacted), then the cause, then `hint` (what to do about it).
 */
export async function openClient(
  config: pg.ClientConfig & { connectionString: string },
  what: string,
  hint = '',
): Promise<pg.Client> {
  const client = new pg.Client(config);
  try {
    await client.connect();
  } catch (error) {
    throw new OrderflowError(
      'ORDERFLOW_DATABASE_UNAVAILABLE',
      `cannot connect to ${what} at ${redactUrl(config.connectionString)}: ${describeError(error)}${hint}`,
      { cause: error, retriable: true },
    );
  }
  return client;
}

/** Double-quote an identifier for SQL text (schema names are validated too, this is belt and braces). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
