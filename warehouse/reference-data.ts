import type pg from 'pg';
import { PRODUCTS } from '../reference/catalogue.ts';
import { LOCATIONS } from '../reference/locations.ts';

/**
 * The products and locations reference tables, loaded from the catalogue and location list the
 * generator draws from (reference/), so the warehouse and the generator can never disagree. Upserts: loading twice
 * changes nothing; a changed price or cost overwrites the row.
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

/** The generator's catalogue and locations (async so callers need not change if they ever move to I/O). */
export async function readGeneratorReferenceData(): Promise<{
  products: readonly ProductRow[];
  locations: readonly LocationRow[];
}> {
  return Promise.resolve({ products: PRODUCTS, locations: LOCATIONS });
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
