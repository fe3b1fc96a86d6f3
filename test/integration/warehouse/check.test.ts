import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../../warehouse/check.ts';
import { ASSERTIONS } from '../../../warehouse/checks.ts';
import { loadSample } from '../../../warehouse/sample-load.ts';
import { sampleData } from '../../../warehouse/sample-data.ts';
import { databaseUrl, freshSchema, type FreshSchema } from './fresh-schema.ts';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../../bin/orderflow.mjs', import.meta.url));

async function check(schema: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [cli, 'warehouse', 'check', '--schema', schema], {
      env: { ...process.env, ORDERFLOW_DATABASE_URL: databaseUrl },
      timeout: 60_000,
    });
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: `${e.stdout}${e.stderr}` };
  }
}

let db: FreshSchema;

beforeAll(async () => {
  db = await freshSchema('check');
  // seed 7: 300 orders over 90 days, 80 customers, some of whom move
  await loadSample(
    db.client,
    sampleData({ seed: 7, orders: 300, start: Date.UTC(2025, 5, 1), days: 90, customers: 80 }),
  );
});
afterAll(async () => {
  await db?.drop();
});

describe('orderflow warehouse check', () => {
  it('passes on clean data: every assertion PASS with 0 offending, exit code 0', async () => {
    const { code, out } = await check(db.schema);
    expect(code).toBe(0);
    expect(out.match(/^PASS /gm)).toHaveLength(ASSERTIONS.length);
    expect(out).toContain(`${ASSERTIONS.length}/${ASSERTIONS.length} assertions passed`);
  });

  it('refuses a schema that was never migrated, with a clear message', async () => {
    const { code, out } = await check('wh_never_migrated');
    expect(code).toBe(1);
    expect(out).toContain('schema wh_never_migrated holds no orderflow warehouse');
  });

  it('fails on a corrupted copy (duplicated key, broken total) and names the offenders', async () => {
    // The corruption a sink without a primary key, or a bad upstream writer, would leave behind.
    await db.client.query('alter table orders drop constraint orders_pkey');
    await db.client.query(`insert into orders select * from orders order by order_id limit 1`);
    await db.client.query(`update orders set order_total = order_total + 1
                            where order_id = (select max(order_id) from orders)`);

    const results = await runChecks(db.client);
    const failed = new Map(results.filter((r) => !r.passed).map((r) => [r.name, r.offending]));
    expect(failed.get('orders.order_id unique')).toBe(1);
    expect(failed.get('order_total = sum(subtotal)')).toBe(1);

    const { code, out } = await check(db.schema);
    expect(code).toBe(1);
    expect(out).toMatch(/^FAIL {2}orders\.order_id unique +1 offending$/m);
    expect(out).toMatch(/^FAIL {2}order_total = sum\(subtotal\) +1 offending$/m);
    expect(out).toContain('ORDERFLOW_CHECK_FAILED');
  });

  it('catches a landed line that breaks the subtotal rule and a customer with two current versions', async () => {
    await db.client.query(`update order_items set subtotal = subtotal + 0.01
                            where item_id = (select min(item_id) from order_items)`);
    await db.client.query(`update dim_customer set is_current = true
                            where customer_key = (select min(customer_key) from dim_customer where not is_current)`);
    const results = await runChecks(db.client);
    const failed = new Map(results.filter((r) => !r.passed).map((r) => [r.name, r.offending]));
    expect(failed.get('subtotal rule')).toBe(1);
    expect(failed.get('one current version per customer')).toBe(1);
  });
});
