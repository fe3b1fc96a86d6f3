/**
 * dim_customer's SCD type 3 columns (migration 017): the province a customer lived in before their
 * last change of province, beside the current one, on every SCD2 version. The customers are the
 * generator's (seed 1, 2024-01-01..2026-01-01, default model: a returning customer sometimes moves,
 * some of them to another LGU and province), landed as the sink lands them: one row per order's
 * customer, in a shuffled order with redeliveries (late rows take migration 015's rebuild path).
 * Asserted against the SCD2 history in the database and against the generated orders themselves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../../../simulation/config.ts';
import { generateOrders } from '../../../simulation/model/generator.ts';
import type { Customers, Order } from '../../../schemas/types.generated.ts';
import { upsertRows } from '../../../warehouse/sample-load.ts';
import { freshSchema, type FreshSchema } from './fresh-schema.ts';

interface Row {
  customer_id: string;
  version: number;
  lgu: string | null;
  provincial_code: string | null;
  valid_from: Date;
  previous_provincial_code: string | null;
  previous_lgu: string | null;
  province_changed_at: Date | null;
  is_current: boolean;
}

let db: FreshSchema;
let orders: Order[];

/** A seeded LCG for the arrival order (the test's only randomness besides the generator's seed). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const landingRow = (o: Order): Customers => ({
  ...o.customer_info,
  last_order_id: o.order_id,
  as_of: o.order_date,
});

async function versions(): Promise<Row[]> {
  return (
    await db.client.query<Row>(
      `select customer_id, version, lgu, provincial_code, valid_from, previous_provincial_code, previous_lgu,
              province_changed_at, is_current
         from dim_customer order by customer_id, valid_from, version`,
    )
  ).rows;
}

/** The type 3 columns computed in TypeScript from one customer's SCD2 versions (valid_from order). */
function expected(
  rows: Row[],
): Pick<Row, 'previous_provincial_code' | 'previous_lgu' | 'province_changed_at'>[] {
  let last: Pick<Row, 'previous_provincial_code' | 'previous_lgu' | 'province_changed_at'> = {
    previous_provincial_code: null,
    previous_lgu: null,
    province_changed_at: null,
  };
  return rows.map((r, i) => {
    const before = rows[i - 1];
    if (before && before.provincial_code !== r.provincial_code)
      last = {
        previous_provincial_code: before.provincial_code,
        previous_lgu: before.lgu,
        province_changed_at: r.valid_from,
      };
    return last;
  });
}

function byCustomer(rows: Row[]): Map<string, Row[]> {
  const m = new Map<string, Row[]>();
  for (const r of rows) m.set(r.customer_id, [...(m.get(r.customer_id) ?? []), r]);
  return m;
}

beforeAll(async () => {
  db = await freshSchema('scd3');
  const config = makeConfig({ seed: 1, from: Date.UTC(2024, 0, 1), until: Date.UTC(2026, 0, 1) });
  orders = [...generateOrders(config, { now: () => 0 })];
  // Arrival: by order time, each row displaced by up to 20 days (partition interleaving), 3% twice.
  const rnd = prng(16);
  const arrivals = orders
    .map((o) => ({ row: landingRow(o), key: o.order_date + rnd() * 20 * 86_400_000 }))
    .sort((a, b) => a.key - b.key)
    .flatMap(({ row }) => (rnd() < 0.03 ? [row, row] : [row]));
  await db.client.query('begin');
  for (const row of arrivals) await upsertRows(db.client, 'customers', 'customer_id', [row], ['as_of']);
  await db.client.query('commit');
}, 300_000);
afterAll(async () => {
  await db?.drop();
});

describe('dim_customer SCD type 3: previous province beside the current one', () => {
  it('equals the previous province computed from the SCD2 versions, on every version', async () => {
    const rows = await versions();
    let movers = 0;
    let versionsAfterMove = 0;
    for (const list of byCustomer(rows).values()) {
      const want = expected(list);
      expect(
        list.map((r) => ({
          previous_provincial_code: r.previous_provincial_code,
          previous_lgu: r.previous_lgu,
          province_changed_at: r.province_changed_at,
        })),
      ).toEqual(want);
      if (want.some((w) => w.previous_provincial_code !== null)) movers++;
      versionsAfterMove += want.filter((w) => w.previous_provincial_code !== null).length;
    }
    // The generator moves some customers to another province: the column is not always null.
    console.log(`${movers} customers changed province (${versionsAfterMove} versions carry a previous one)`);
    expect(movers).toBeGreaterThan(5);
    // A move within a province (or a new email) opens a version without a previous province.
    const sameProvince = rows.filter((r) => r.version > 1 && r.previous_provincial_code === null).length;
    expect(sameProvince).toBeGreaterThan(0);
  });

  it("the current version's previous province is the one before the customer's last move in the orders", async () => {
    // Straight from the generated orders: each customer's provinces in order-time order.
    const last = new Map<string, { previous: string | null; current: string; at: number | null }>();
    for (const o of [...orders].sort(
      (a, b) => a.order_date - b.order_date || (a.order_id < b.order_id ? -1 : 1),
    )) {
      const id = o.customer_info.customer_id;
      const code = o.customer_info.provincial_code;
      const seen = last.get(id);
      if (!seen) last.set(id, { previous: null, current: code, at: null });
      else if (seen.current !== code)
        last.set(id, { previous: seen.current, current: code, at: o.order_date });
    }
    const current = (await versions()).filter((r) => r.is_current);
    expect(current).toHaveLength(last.size);
    for (const r of current) {
      const want = last.get(r.customer_id)!;
      expect([
        r.customer_id,
        r.provincial_code,
        r.previous_provincial_code,
        r.province_changed_at?.getTime() ?? null,
      ]).toEqual([r.customer_id, want.current, want.previous, want.at]);
    }
  });

  it('follows a rebuild of the whole history (rebuild_all_dim_customers) unchanged', async () => {
    const before = await versions();
    await db.client.query('truncate dim_customer');
    await db.client.query('select rebuild_all_dim_customers()');
    expect(await versions()).toEqual(before);
  });
});
