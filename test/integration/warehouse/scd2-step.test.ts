import { describe, expect, it } from 'vitest';
import type { Customers } from '../../../schemas/types.generated.ts';
import { upsertRows } from '../../../warehouse/sample-load.ts';
import { schemaForFile } from './fresh-schema.ts';

// Migration 015's landing step (one SCD2 step when the observation is the customer's newest) must
// give exactly what rebuild_dim_customer gives from all observations, keys included.

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

/** A seeded LCG (the test's only randomness): same seed, same history. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Each customer's orders over a year, moving (or changing email) now and then, back too. */
function history(seed: number, customers: number): Customers[] {
  const rnd = prng(seed);
  const rows: Customers[] = [];
  for (let c = 0; c < customers; c++) {
    let street = 0;
    let email = 0;
    let asOf = T0 + Math.floor(rnd() * 30) * DAY;
    const orders = 1 + Math.floor(rnd() * 12);
    for (let o = 0; o < orders; o++) {
      const draw = rnd();
      if (draw < 0.2)
        street = (street + 1) % 3; // 0 -> 1 -> 2 -> 0: moving back is a new version
      else if (draw < 0.3) email++;
      // Some orders share a millisecond (ties are ordered by order id).
      asOf += rnd() < 0.1 ? 0 : Math.floor(rnd() * 40 * DAY);
      rows.push({
        customer_id: `c-${c}`,
        customer_name: `Customer ${c}`,
        company: rnd() < 0.2 ? `Company ${o}` : null,
        email: `c${c}.${email}@example.ph`,
        street_address: `${street + 1} Street`,
        lgu: street === 2 ? 'Cebu' : 'Makati',
        provincial_code: street === 2 ? 'PH-CEB' : 'PH-00',
        contact_number: `+63 917 555 ${String(o).padStart(4, '0')}`,
        last_order_id: `o-${c}-${String(o).padStart(2, '0')}`,
        as_of: asOf,
      });
    }
  }
  return rows;
}

/** Arrival order: by as_of, each row moved within a window (partition interleaving), some twice. */
function arrivals(rows: Customers[], seed: number): Customers[] {
  const rnd = prng(seed);
  const keyed = rows.map((r) => ({ r, k: r.as_of! + rnd() * 60 * DAY }));
  keyed.sort((a, b) => a.k - b.k);
  const out: Customers[] = [];
  for (const { r } of keyed) {
    out.push(r);
    if (rnd() < 0.05) out.push(r); // a redelivery
    if (rnd() < 0.02) out.push({ ...r, contact_number: '+63 2 8000 0000' }); // a changed observation
  }
  return out;
}

const db = schemaForFile('scd2step');
const DIM = `select customer_key, customer_id, version, first_order_id, customer_name, company, email,
                    street_address, lgu, provincial_code, contact_number, valid_from, valid_to, is_current
               from dim_customer order by customer_id, version`;

describe('dim_customer landing step (migration 015)', () => {
  it('gives the full rebuild, row for row and key for key, on a shuffled history with redeliveries', async () => {
    const rows = arrivals(history(18, 150), 3);
    await db.client.query('begin');
    for (const row of rows) await upsertRows(db.client, 'customers', 'customer_id', [row], ['as_of']);
    await db.client.query('commit');

    // The history exercises every path: in-order steps, late rows, moves and moves back.
    const stats = await db.client.query<{ late: string; versions: string; movers: string }>(`
      select (select count(*) from customer_observations o join customers c using (customer_id)
               where o.as_of < c.as_of) as late,
             (select count(*) from dim_customer) as versions,
             (select count(distinct customer_id) from dim_customer where version > 2) as movers`);
    expect(Number(stats.rows[0]!.late)).toBeGreaterThan(50);
    expect(Number(stats.rows[0]!.versions)).toBeGreaterThan(300);
    expect(Number(stats.rows[0]!.movers)).toBeGreaterThan(20);

    const stepped = (await db.client.query(DIM)).rows;
    await db.client.query('select rebuild_all_dim_customers()');
    const rebuilt = (await db.client.query(DIM)).rows;
    expect(stepped.length).toBe(rebuilt.length);
    expect(stepped).toEqual(rebuilt);

    // And from scratch: dropping the history and rebuilding it from the observations agrees too
    // (apart from the surrogate keys, which are new).
    await db.client.query('truncate dim_customer');
    await db.client.query('select rebuild_all_dim_customers()');
    const fresh = (await db.client.query(DIM)).rows;
    const noKey = (r: Record<string, unknown>) => ({ ...r, customer_key: undefined });
    expect(fresh.map(noKey)).toEqual(stepped.map(noKey));
  });

  it("the customers table carries migration 015's three landing triggers and not 002's", async () => {
    const triggers = await db.client.query<{ tgname: string }>(
      `select tgname from pg_trigger where tgrelid = 'customers'::regclass and not tgisinternal order by 1`,
    );
    expect(triggers.rows.map((r) => r.tgname)).toEqual([
      'customers_keep_newest',
      'customers_observe_insert',
      'customers_observe_update',
    ]);
  });
});
