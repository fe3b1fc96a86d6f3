import { describe, expect, it } from 'vitest';
import { isOrderflowError } from '../../../common/errors.ts';
import { checksumOf, parseMigrationFiles, planMigrations } from '../../../warehouse/migration-plan.ts';
import { assertSchemaName } from '../../../common/database.ts';
import { readMigrations } from '../../../warehouse/migrate.ts';

const files = parseMigrationFiles([
  { fileName: '002_views.sql', sql: 'create view v as select 1;' },
  { fileName: '001_tables.sql', sql: 'create table t (x int);' },
]);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isOrderflowError(error) ? error.code : 'not an OrderflowError';
  }
  return undefined;
}

describe('migration plan', () => {
  it('orders files by version and names them', () => {
    expect(files.map((f) => [f.version, f.name])).toEqual([
      [1, 'tables'],
      [2, 'views'],
    ]);
  });

  it('applies everything on an empty database and nothing once all are recorded', () => {
    expect(planMigrations(files, []).map((f) => f.version)).toEqual([1, 2]);
    const applied = files.map((f) => ({ version: f.version, name: f.name, checksum: f.checksum }));
    expect(planMigrations(files, applied)).toEqual([]);
    expect(planMigrations(files, applied.slice(0, 1)).map((f) => f.version)).toEqual([2]);
  });

  it('refuses an applied migration whose file changed', () => {
    const applied = [{ version: 1, name: 'tables', checksum: checksumOf('create table t (x bigint);') }];
    expect(codeOf(() => planMigrations(files, applied))).toBe('ORDERFLOW_MIGRATION_FAILED');
  });

  it('refuses a recorded migration whose file is gone', () => {
    const applied = [{ version: 7, name: 'gone', checksum: 'x' }];
    expect(codeOf(() => planMigrations(files, applied))).toBe('ORDERFLOW_MIGRATION_FAILED');
  });

  it('rejects stray file names and duplicate versions', () => {
    expect(codeOf(() => parseMigrationFiles([{ fileName: '1_x.sql', sql: '' }]))).toBe(
      'ORDERFLOW_MIGRATION_FAILED',
    );
    expect(
      codeOf(() =>
        parseMigrationFiles([
          { fileName: '001_a.sql', sql: '' },
          { fileName: '001_b.sql', sql: '' },
        ]),
      ),
    ).toBe('ORDERFLOW_MIGRATION_FAILED');
  });

  it('ignores line-ending differences in the checksum', () => {
    expect(checksumOf('a;\r\nb;')).toBe(checksumOf('a;\nb;'));
    expect(checksumOf('a;\nb;')).not.toBe(checksumOf('a;\nc;'));
  });

  it('accepts only safe schema names', () => {
    expect(assertSchemaName('orderflow_test_1')).toBe('orderflow_test_1');
    for (const bad of ['Public', '1abc', 'a-b', 'a;drop', '', 'x'.repeat(64)]) {
      expect(codeOf(() => assertSchemaName(bad))).toBe('ORDERFLOW_CONFIG_INVALID');
    }
  });

  it('the shipped migrations parse, are numbered 1..n without gaps', async () => {
    const shipped = await readMigrations();
    expect(shipped.length).toBeGreaterThanOrEqual(6);
    expect(shipped.map((m) => m.version)).toEqual(shipped.map((_, i) => i + 1));
  });
});
