import pg from 'pg';
import { OrderflowError, describeError } from '../common/errors.ts';
import { assertSchemaName } from './migration-plan.ts';

/**
 * A client whose search_path is the warehouse schema, so the same SQL serves the default `public`
 * warehouse, a prefixed pipeline's schema and a test's throw-away schema.
 */
export async function connectWarehouse(databaseUrl: string, schema: string): Promise<pg.Client> {
  assertSchemaName(schema);
  const client = new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
  try {
    await client.connect();
  } catch (error) {
    throw new OrderflowError(
      'ORDERFLOW_DATABASE_UNAVAILABLE',
      `cannot connect to PostgreSQL at ${redactUrl(databaseUrl)}: ${describeError(error)}`,
      { cause: error, retriable: true },
    );
  }
  // PostgreSQL hands back numeric and bigint as strings; keep them exact and let callers decide.
  return client;
}

/** Double-quote an identifier for SQL text (schema names are validated too, this is belt and braces). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
