import type pg from 'pg';
import { PRODUCTS } from '../reference/catalogue.ts';
import { LOCATIONS } from '../reference/locations.ts';
import { STORES, type Store } from '../reference/stores.ts';
import { VAT_RULES } from '../reference/vat.ts';

/**
 * The reference tables (products, locations, stores, the VAT rate table), loaded from the catalogue,
 * location list, stores and tax rules the generator draws from (reference/), so the warehouse and the
 * generator can never disagree. Upserts: loading twice changes nothing; a changed price or cost
 * overwrites the row. The VAT table is replaced as a whole (a rule gone from reference/vat.ts would
 * otherwise still decide rates).
 */

export interface ProductRow {
  sku: number;
  name: string;
  category: string;
  /** PHP, two decimals ("78.00"). */
  price: string;
  cost: string;
}

export interface LocationRow {
  lgu: string;
  provincial_code: string;
  tier: string;
}

/** A row of the stores table: a store as reference/stores.ts defines it. */
export type StoreRow = Store;

export interface VatRuleRow {
  /** First local day (YYYY-MM-DD) in force. */
  from: string;
  provincial_code: string;
  category: string;
  /** Percent, two decimals ("12.00"). */
  rate: string;
  source: string;
}

/** The generator's reference data (async so callers need not change if they ever move to I/O). */
export async function readGeneratorReferenceData(): Promise<{
  products: readonly ProductRow[];
  locations: readonly LocationRow[];
  stores: readonly StoreRow[];
  vatRules: readonly VatRuleRow[];
}> {
  return Promise.resolve({ products: PRODUCTS, locations: LOCATIONS, stores: STORES, vatRules: VAT_RULES });
}

/**
 * A table's columns: each field of the row, in order, with its PostgreSQL type; the column has the
 * field's name unless `names` says otherwise.
 */
export interface Columns<R> {
  types: { readonly [K in keyof R & string]: string };
  names?: { readonly [K in keyof R & string]?: string };
}

/** The rows as one array per column, the parameters of `unnest($1::type[], $2::type[], ...)`. */
export function columnArrays<R>(rows: readonly R[], columns: Columns<R>): unknown[][] {
  return (Object.keys(columns.types) as (keyof R & string)[]).map((field) => rows.map((r) => r[field]));
}

/**
 * Insert `rows` into `table`, or update the row with the same key (the first `keyCount` columns)
 * where any other column differs; an unchanged row is not rewritten. Returns the rows written.
 */
async function upsertRows<R>(
  client: pg.Client,
  table: string,
  columns: Columns<R>,
  keyCount: number,
  rows: readonly R[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const fields = Object.keys(columns.types) as (keyof R & string)[];
  const names = fields.map((f) => columns.names?.[f] ?? f);
  const rest = names.slice(keyCount);
  const result = await client.query(
    `insert into ${table} (${names.join(', ')})
     select * from unnest(${fields.map((f, i) => `$${i + 1}::${columns.types[f]}[]`).join(', ')})
     on conflict (${names.slice(0, keyCount).join(', ')}) do update
        set ${rest.map((n) => `${n} = excluded.${n}`).join(', ')}
      where (${rest.map((n) => `${table}.${n}`).join(', ')})
            is distinct from (${rest.map((n) => `excluded.${n}`).join(', ')})`,
    columnArrays(rows, columns),
  );
  return result.rowCount ?? 0;
}

export const PRODUCT_COLUMNS: Columns<ProductRow> = {
  types: { sku: 'integer', name: 'text', category: 'text', price: 'numeric', cost: 'numeric' },
};

const LOCATION_COLUMNS: Columns<LocationRow> = {
  types: { lgu: 'text', provincial_code: 'text', tier: 'text' },
};

const STORE_COLUMNS: Columns<StoreRow> = {
  types: {
    store_id: 'text',
    name: 'text',
    street_address: 'text',
    lgu: 'text',
    provincial_code: 'text',
    opens_hour: 'integer',
    closes_hour: 'integer',
    weight: 'numeric',
  },
};

/** The key (the first three) and the values of a VAT rule. */
const VAT_COLUMNS: Columns<VatRuleRow> = {
  types: { from: 'date', provincial_code: 'text', category: 'text', rate: 'numeric', source: 'text' },
  names: { from: 'effective_from' },
};

export function upsertProducts(client: pg.Client, products: readonly ProductRow[]): Promise<number> {
  return upsertRows(client, 'products', PRODUCT_COLUMNS, 1, products);
}

export function upsertLocations(client: pg.Client, locations: readonly LocationRow[]): Promise<number> {
  return upsertRows(client, 'locations', LOCATION_COLUMNS, 1, locations);
}

export function upsertStores(client: pg.Client, stores: readonly StoreRow[]): Promise<number> {
  return upsertRows(client, 'stores', STORE_COLUMNS, 1, stores);
}

/** Make vat_rules the rules given: upsert each, delete any other; returns the rows changed. */
export async function replaceVatRules(client: pg.Client, rules: readonly VatRuleRow[]): Promise<number> {
  const removed = await client.query(
    `delete from vat_rules v
      where (v.effective_from, v.provincial_code, v.category) not in (
        select * from unnest($1::date[], $2::text[], $3::text[]))`,
    columnArrays(rules, VAT_COLUMNS).slice(0, 3),
  );
  return (removed.rowCount ?? 0) + (await upsertRows(client, 'vat_rules', VAT_COLUMNS, 3, rules));
}
