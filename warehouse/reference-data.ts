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

export async function upsertProducts(client: pg.Client, products: readonly ProductRow[]): Promise<number> {
  if (products.length === 0) return 0;
  const result = await client.query(
    `insert into products (sku, name, category, price, cost)
     select * from unnest($1::integer[], $2::text[], $3::text[], $4::numeric[], $5::numeric[])
     on conflict (sku) do update
        set name = excluded.name, category = excluded.category, price = excluded.price, cost = excluded.cost
      where (products.name, products.category, products.price, products.cost)
            is distinct from (excluded.name, excluded.category, excluded.price, excluded.cost)`,
    [
      products.map((p) => p.sku),
      products.map((p) => p.name),
      products.map((p) => p.category),
      products.map((p) => p.price),
      products.map((p) => p.cost),
    ],
  );
  return result.rowCount ?? 0;
}

export async function upsertLocations(client: pg.Client, locations: readonly LocationRow[]): Promise<number> {
  if (locations.length === 0) return 0;
  const result = await client.query(
    `insert into locations (lgu, provincial_code, tier)
     select * from unnest($1::text[], $2::text[], $3::text[])
     on conflict (lgu) do update
        set provincial_code = excluded.provincial_code, tier = excluded.tier
      where (locations.provincial_code, locations.tier) is distinct from (excluded.provincial_code, excluded.tier)`,
    [locations.map((l) => l.lgu), locations.map((l) => l.provincial_code), locations.map((l) => l.tier)],
  );
  return result.rowCount ?? 0;
}

export async function upsertStores(client: pg.Client, stores: readonly StoreRow[]): Promise<number> {
  if (stores.length === 0) return 0;
  const result = await client.query(
    `insert into stores (store_id, name, street_address, lgu, provincial_code, opens_hour, closes_hour, weight)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::integer[], $7::integer[], $8::numeric[])
     on conflict (store_id) do update
        set name = excluded.name, street_address = excluded.street_address, lgu = excluded.lgu,
            provincial_code = excluded.provincial_code, opens_hour = excluded.opens_hour,
            closes_hour = excluded.closes_hour, weight = excluded.weight
      where (stores.name, stores.street_address, stores.lgu, stores.provincial_code, stores.opens_hour,
             stores.closes_hour, stores.weight)
            is distinct from (excluded.name, excluded.street_address, excluded.lgu, excluded.provincial_code,
                              excluded.opens_hour, excluded.closes_hour, excluded.weight)`,
    [
      stores.map((s) => s.store_id),
      stores.map((s) => s.name),
      stores.map((s) => s.street_address),
      stores.map((s) => s.lgu),
      stores.map((s) => s.provincial_code),
      stores.map((s) => s.opens_hour),
      stores.map((s) => s.closes_hour),
      stores.map((s) => s.weight),
    ],
  );
  return result.rowCount ?? 0;
}

/** Make vat_rules the rules given: upsert each, delete any other; returns the rows changed. */
export async function replaceVatRules(client: pg.Client, rules: readonly VatRuleRow[]): Promise<number> {
  const columns = [
    rules.map((r) => r.from),
    rules.map((r) => r.provincial_code),
    rules.map((r) => r.category),
    rules.map((r) => r.rate),
    rules.map((r) => r.source),
  ];
  const removed = await client.query(
    `delete from vat_rules v
      where (v.effective_from, v.provincial_code, v.category) not in (
        select * from unnest($1::date[], $2::text[], $3::text[]))`,
    columns.slice(0, 3),
  );
  if (rules.length === 0) return removed.rowCount ?? 0;
  const upserted = await client.query(
    `insert into vat_rules (effective_from, provincial_code, category, rate, source)
     select * from unnest($1::date[], $2::text[], $3::text[], $4::numeric[], $5::text[])
     on conflict (effective_from, provincial_code, category) do update
        set rate = excluded.rate, source = excluded.source
      where (vat_rules.rate, vat_rules.source) is distinct from (excluded.rate, excluded.source)`,
    columns,
  );
  return (removed.rowCount ?? 0) + (upserted.rowCount ?? 0);
}
