import { createHash } from 'node:crypto';
import { OrderflowError } from '../common/errors.ts';
export { assertSchemaName, SCHEMA_NAME } from '../common/database.ts';

/** A migration file: `NNN_name.sql`, applied in version order. */
export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** A row of the `orderflow_migrations` table. */
export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
}

const FILE_NAME = /^(\d{3})_([a-z0-9_]+)\.sql$/;

export function checksumOf(sql: string): string {
  // Line endings do not change what a migration does; a checkout with CRLF must not look edited.
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

/** Turn file names and contents into ordered migrations; rejects stray names and duplicate versions. */
export function parseMigrationFiles(files: { fileName: string; sql: string }[]): MigrationFile[] {
  const out: MigrationFile[] = [];
  const seen = new Map<number, string>();
  for (const { fileName, sql } of files) {
    const match = FILE_NAME.exec(fileName);
    if (!match) {
      throw new OrderflowError(
        'ORDERFLOW_MIGRATION_FAILED',
        `migration file ${fileName} does not match NNN_name.sql (three digits, lower-case name)`,
      );
    }
    const version = Number(match[1]);
    const previous = seen.get(version);
    if (previous !== undefined) {
      throw new OrderflowError(
        'ORDERFLOW_MIGRATION_FAILED',
        `migrations ${previous} and ${fileName} share version ${match[1]}`,
      );
    }
    seen.set(version, fileName);
    out.push({ version, name: match[2]!, sql, checksum: checksumOf(sql) });
  }
  return out.sort((a, b) => a.version - b.version);
}

/**
 * What to apply: every file not yet recorded, in order. An applied migration whose file changed, or
 * one recorded in the database but missing from the files, is an error: the database would no
 * longer be what the files describe.
 */
export function planMigrations(files: MigrationFile[], applied: AppliedMigration[]): MigrationFile[] {
  const byVersion = new Map(files.map((f) => [f.version, f]));
  for (const row of applied) {
    const file = byVersion.get(row.version);
    const label = `${String(row.version).padStart(3, '0')}_${row.name}`;
    if (!file) {
      throw new OrderflowError(
        'ORDERFLOW_MIGRATION_FAILED',
        `migration ${label} is recorded as applied but its file is missing`,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new OrderflowError(
        'ORDERFLOW_MIGRATION_FAILED',
        `migration ${label}.sql was changed after it was applied (checksum ${row.checksum.slice(0, 12)} in the database, ${file.checksum.slice(0, 12)} on disk): add a new migration instead`,
      );
    }
  }
  const done = new Set(applied.map((a) => a.version));
  return files.filter((f) => !done.has(f.version));
}
