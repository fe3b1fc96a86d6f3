import { describe, expect, it } from 'vitest';
import type { Customers } from '../../../schemas/types.generated.ts';
import { runChecks } from '../../../warehouse/check.ts';
import { ASSERTIONS } from '../../../warehouse/checks.ts';
import { upsertRows } from '../../../warehouse/sample-load.ts';
import { schemaForFile } from './fresh-schema.ts';

const T1 = Date.UTC(2025, 0, 10, 2);
const T2 = Date.UTC(2025, 3, 5, 9);
const T3 = Date.UTC(2025, 8, 20, 15);

function customer(orderId: string, asOf: number, street: string, lgu: string, email: string): Customers {
  return {
    customer_id: 'c-mover',
    customer_name: 'Maria Santos',
    company: 'Santos Trading',
    email,
    street_address: street,
    lgu,
    provincial_code: lgu === 'Cebu' ? 'PH-CEB' : 'PH-00',
    contact_number: '+63 917 555 0101',
    last_order_id: orderId,
    as_of: asOf,
  };
}

interface Version {
  customer_key: string;
  version: number;
  street_address: string;
  email: string;
  valid_from: Date;
  valid_to: Date | string;
  is_current: boolean;
}

const db = schemaForFile('scd2');
const land = (rows: Customers[]) => upsertRows(db.client, 'customers', 'customer_id', rows, ['as_of']);
const versions = async (id = 'c-mover') =>
  (
    await db.client.query<Version>(
      `select customer_key, version, street_address, email, valid_from,
              case when valid_to = 'infinity' then 'infinity' else valid_to::text end as valid_to, is_current
         from dim_customer where customer_id = $1 order by valid_from`,
      [id],
    )
  ).rows;

describe('dim_customer (SCD type 2)', () => {
  it('a customer who moves twice has three contiguous versions, one current, whatever the arrival order', async () => {
    // The sink delivers in finish-time order: the newest version first, then the two older ones.
    await land([customer('o-3', T3, '3 Osmeña Blvd', 'Cebu', 'maria@new.ph')]);
    await land([customer('o-1', T1, '1 Ayala Ave', 'Makati', 'maria@old.ph')]);
    await land([customer('o-2', T2, '2 Roxas Blvd', 'Manila', 'maria@old.ph')]);
    await land([customer('o-2', T2, '2 Roxas Blvd', 'Manila', 'maria@old.ph')]); // redelivery

    const v = await versions();
    expect(v.map((r) => r.street_address)).toEqual(['1 Ayala Ave', '2 Roxas Blvd', '3 Osmeña Blvd']);
    expect(v.map((r) => r.version)).toEqual([1, 2, 3]);
    expect(v.map((r) => r.valid_from.getTime())).toEqual([T1, T2, T3]);
    // Contiguous: each version ends where the next begins; the last is open-ended and current.
    expect(new Date(v[0]!.valid_to).getTime()).toBe(T2);
    expect(new Date(v[1]!.valid_to).getTime()).toBe(T3);
    expect(v[2]!.valid_to).toBe('infinity');
    expect(v.map((r) => r.is_current)).toEqual([false, false, true]);

    // The landing row stayed at the newest version although older ones arrived after it.
    const landing = await db.client.query('select street_address, last_order_id from customers');
    expect(landing.rows).toEqual([{ street_address: '3 Osmeña Blvd', last_order_id: 'o-3' }]);
  });

  it('an order joins the version valid at its order_date', async () => {
    await db.client.query(
      `insert into orders (order_id, order_date, customer_id, order_status, order_total) values
         ('o-1', $1, 'c-mover', 'DELIVERED', 10), ('o-2b', $2, 'c-mover', 'DELIVERED', 20),
         ('o-3', $3, 'c-mover', 'DELIVERED', 30), ('o-early', $4, 'c-mover', 'DELIVERED', 40)`,
      [new Date(T1), new Date(T3 - 1), new Date(T3), new Date(T1 - 1)],
    );
    const { rows } = await db.client.query<{ order_id: string; street_address: string | null }>(
      `select f.order_id, d.street_address from fact_orders f
         left join dim_customer d on d.customer_key = f.customer_key order by f.order_date`,
    );
    expect(rows).toEqual([
      { order_id: 'o-early', street_address: null }, // before the first known version
      { order_id: 'o-1', street_address: '1 Ayala Ave' },
      { order_id: 'o-2b', street_address: '2 Roxas Blvd' }, // one millisecond before the third move
      { order_id: 'o-3', street_address: '3 Osmeña Blvd' },
    ]);
  });

  it('keeps keys of untouched versions, and changes of other attributes stay in the version', async () => {
    const before = await versions();
    // A late observation inside version 2 with a new phone number: no new version.
    await land([
      {
        ...customer('o-2c', T2 + 3_600_000, '2 Roxas Blvd', 'Manila', 'maria@old.ph'),
        contact_number: '+63 2 8555 0000',
      },
    ]);
    const after = await versions();
    expect(after.map((r) => r.customer_key)).toEqual(before.map((r) => r.customer_key));
    const phone = await db.client.query(`select contact_number from dim_customer where version = 2`);
    expect(phone.rows[0].contact_number).toBe('+63 2 8555 0000');
  });

  it('moving back to an old address is a new version (A, B, A = three versions)', async () => {
    const c = (orderId: string, asOf: number, street: string): Customers => ({
      ...customer(orderId, asOf, street, 'Makati', 'back@example.ph'),
      customer_id: 'c-back',
    });
    for (const row of [c('b-1', T1, 'Home'), c('b-3', T3, 'Home'), c('b-2', T2, 'Away')]) await land([row]);
    const v = await versions('c-back');
    expect(v.map((r) => r.street_address)).toEqual(['Home', 'Away', 'Home']);
    expect(v.filter((r) => r.is_current)).toHaveLength(1);
  });

  it('the SCD2 data-quality assertions pass, and catch an overlap', async () => {
    const scd = ASSERTIONS.filter((a) =>
      [
        'one current version per customer',
        'current version = landing row',
        'validity ranges contiguous',
      ].includes(a.name),
    );
    expect((await runChecks(db.client, scd)).map((r) => [r.name, r.offending])).toEqual(
      scd.map((a) => [a.name, 0]),
    );
    // Corrupt: stretch version 1 over version 2.
    await db.client.query(`update dim_customer set valid_to = valid_to + interval '1 day'
                            where customer_id = 'c-mover' and version = 1`);
    const results = await runChecks(db.client, scd);
    expect(results.find((r) => r.name === 'validity ranges contiguous')).toMatchObject({
      passed: false,
      offending: 1,
    });
  });
});
