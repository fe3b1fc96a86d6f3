import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { OrderflowError, describeError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { connectWarehouse, quoteIdent } from '../common/database.ts';
import {
  parseMigrationFiles,
  planMigrations,
  type AppliedMigration,
  type MigrationFile,
} from './migration-plan.ts';
import { assertSchemaName } from '../common/database.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Advisory-lock class for migrations; the second key is the schema's hash, so schemas don't block each other. */
const LOCK_CLASS = 0x0f10;

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  const files = await Promise.all(
    names.map(async (fileName) => ({ fileName, sql: await readFile(`${dir}/${fileName}`, 'utf8') })),
  );
  return parseMigrationFiles(files);
}

export interface MigrateResult {
  schema: string;
  applied: string[];
  alreadyApplied: number;
}

/**
 * Bring `schema` up to date: create it if needed, then apply each pending migration in its own
 * transaction and record it with its checksum. A session advisory lock serialises concurrent runs on
 * the same schema; the second runner waits, then finds nothing left to do.
 */
export async function migrate(
  databaseUrl: string,
  schema: string,
  log?: Logger,
  migrations?: MigrationFile[],
): Promise<MigrateResult> {
  assertSchemaName(schema);
  const files = migrations ?? (await readMigrations());
  const client = await connectWarehouse(databaseUrl, schema);
  try {
    await client.query('select pg_advisory_lock($1, hashtext($2))', [LOCK_CLASS, schema]);
    try {
      return await migrateLocked(client, schema, files, log);
    } finally {
      await client.query('select pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, schema]);
    }
  } finally {
    await client.end();
  }
}

async function migrateLocked(
  client: pg.Client,
  schema: string,
  files: MigrationFile[],
  log?: Logger,
): Promise<MigrateResult> {
  await client.query(`create schema if not exists ${quoteIdent(schema)}`);
  await client.query(`
    create table if not exists orderflow_migrations (
      version integer primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now(),
      duration_ms integer not null
    )`);
  const { rows } = await client.query<AppliedMigration>(
    'select version, name, checksum from orderflow_migrations order by version',
  );
  const pending = planMigrations(files, rows);
  const applied: string[] = [];
  for (const m of pending) {
    const label = `${String(m.version).padStart(3, '0')}_${m.name}`;
    const started = performance.now();
    await client.query('begin');
    try {
      // search_path again inside the transaction: a migration may not leave it changed for the next.
      await client.query(`set local search_path = ${quoteIdent(schema)}`);
      await client.query(m.sql);
      await client.query(
        'insert into orderflow_migrations (version, name, checksum, duration_ms) values ($1, $2, $3, $4)',
        [m.version, m.name, m.checksum, Math.round(performance.now() - started)],
      );
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw new OrderflowError(
        'ORDERFLOW_MIGRATION_FAILED',
        `migration ${label}.sql failed in schema ${schema}: ${describeError(error)}`,
        { cause: error },
      );
    }
    applied.push(label);
    log?.info({ schema, migration: label, ms: Math.round(performance.now() - started) }, 'migration applied');
  }
  return { schema, applied, alreadyApplied: rows.length };
}

/** Fail with a clear message when `schema` has never been migrated (instead of 28 failing queries). */
export async function assertMigrated(client: pg.Client, schema: string): Promise<void> {
  const { rows } = await client.query<{ t: string | null }>(
    `select to_regclass(format('%I.orderflow_migrations', $1::text))::text as t`,
    [schema],
  );
  if (rows[0]?.t == null) {
    throw new OrderflowError(
      'ORDERFLOW_USAGE',
      `schema ${schema} holds no orderflow warehouse: run \`orderflow warehouse migrate --schema ${schema}\` first`,
    );
  }
}
