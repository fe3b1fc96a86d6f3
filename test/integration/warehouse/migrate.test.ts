import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { isOrderflowError } from '../../../common/errors.ts';
import { connectWarehouse } from '../../../common/database.ts';
import { migrate, readMigrations } from '../../../warehouse/migrate.ts';
import { parseMigrationFiles } from '../../../warehouse/migration-plan.ts';
import { databaseUrl } from './fresh-schema.ts';

const schema = `wh_migrate_${randomBytes(4).toString('hex')}`;

afterAll(async () => {
  const client = await connectWarehouse(databaseUrl, 'public');
  await client.query(`drop schema if exists "${schema}" cascade`);
  await client.end();
});

describe('warehouse migrate', () => {
  it('applies every migration once, even when two runners race', async () => {
    const files = await readMigrations();
    const [a, b] = await Promise.all([migrate(databaseUrl, schema), migrate(databaseUrl, schema)]);
    // The advisory lock serialises them: one applies everything, the other finds it done.
    expect([a.applied.length, b.applied.length].sort()).toEqual([0, files.length]);
    const again = await migrate(databaseUrl, schema);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe(files.length);

    const client = await connectWarehouse(databaseUrl, schema);
    try {
      const { rows } = await client.query<{ n: string }>('select count(*) as n from orderflow_migrations');
      expect(Number(rows[0]!.n)).toBe(files.length);
      // Landing tables carry exactly the split schemas' field names.
      const cols = await client.query<{ table_name: string; column_name: string; data_type: string }>(
        `select table_name, column_name, data_type from information_schema.columns
          where table_schema = $1 and table_name in ('orders', 'customers', 'order_items')`,
        [schema],
      );
      const typeOf = (t: string, c: string) =>
        cols.rows.find((r) => r.table_name === t && r.column_name === c)?.data_type;
      expect(typeOf('orders', 'order_date')).toBe('timestamp with time zone');
      expect(typeOf('orders', 'order_total')).toBe('numeric');
      expect(typeOf('order_items', 'discount_percent')).toBe('numeric');
      expect(typeOf('customers', 'as_of')).toBe('timestamp with time zone');
      expect(typeOf('orders', 'cart_id')).toBe('text'); // schema 0.2.0, migration 016
      expect(typeOf('orders', 'vat_total')).toBe('numeric'); // schema 0.4.0, migration 022
      expect(typeOf('order_items', 'vat_rate')).toBe('numeric');
      // 0.4.0 adds channel, store_id, tender and vat_total to orders, vat_rate and vat_amount to lines.
      expect(cols.rows.filter((r) => r.table_name === 'orders')).toHaveLength(24);
      expect(cols.rows.filter((r) => r.table_name === 'customers')).toHaveLength(10);
      expect(cols.rows.filter((r) => r.table_name === 'order_items')).toHaveLength(13);
    } finally {
      await client.end();
    }
  });

  it('refuses to run when an applied migration file has changed', async () => {
    const files = await readMigrations();
    const edited = parseMigrationFiles(
      files.map((f) => ({
        fileName: `${String(f.version).padStart(3, '0')}_${f.name}.sql`,
        sql: f.version === 1 ? `${f.sql}\n-- edited` : f.sql,
      })),
    );
    const error = await migrate(databaseUrl, schema, undefined, edited).catch((e: unknown) => e);
    expect(isOrderflowError(error) && error.code).toBe('ORDERFLOW_MIGRATION_FAILED');
    expect(String((error as Error).message)).toMatch(/001_landing\.sql was changed/);
  });

  it('rolls back a failing migration and records nothing for it', async () => {
    const files = await readMigrations();
    const broken = parseMigrationFiles([
      ...files.map((f) => ({ fileName: `${String(f.version).padStart(3, '0')}_${f.name}.sql`, sql: f.sql })),
      {
        fileName: `${String(files.length + 1).padStart(3, '0')}_broken.sql`,
        sql: 'create table half_done (x int); select 1/0;',
      },
    ]);
    const error = await migrate(databaseUrl, schema, undefined, broken).catch((e: unknown) => e);
    expect(isOrderflowError(error) && error.code).toBe('ORDERFLOW_MIGRATION_FAILED');
    const client = await connectWarehouse(databaseUrl, schema);
    try {
      const t = await client.query(`select to_regclass('half_done') as t`);
      expect(t.rows[0].t).toBeNull();
      const { rows } = await client.query<{ n: string }>('select count(*) as n from orderflow_migrations');
      expect(Number(rows[0]!.n)).toBe(files.length);
    } finally {
      await client.end();
    }
  });
});
