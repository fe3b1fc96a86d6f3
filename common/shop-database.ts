/**
 * The shop's operational database, shared by `orderflow shop` (migrate, reset, reconcile), the stock
 * service and `orderflow connect deploy` (which makes sure the database, its publication and its
 * replication slot exist before it starts the CDC source connector): create it if missing, apply
 * shop/migrations, seed it from the reference data, and own its replication slot.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { OrderflowError, describeError } from './errors.ts';
import { openClient } from './database.ts';
import type { Logger } from './logger.ts';
import { SHOP_LOCATIONS, shopPriceChanges, shopProducts, shopStock } from './shop-seed.ts';

export const SHOP_MIGRATIONS_DIR = fileURLToPath(new URL('../shop/migrations/', import.meta.url));
/** Every shop table lives in this schema of the shop database. */
export const SHOP_SCHEMA = 'shop';
/** The publication shop/migrations/001_shop.sql creates (per database, so one name serves all). */
export const SHOP_PUBLICATION = 'orderflow_shop';
/** The tables the CDC connector streams and the warehouse lands (shop_<table>), with their keys. */
export const SHOP_CDC_TABLES = {
  products: {
    key: ['sku'],
    columns: [
      'name',
      'category',
      'price',
      'cost',
      'reorder_point',
      'reorder_quantity',
      'lead_time_days',
      'updated_at',
    ],
  },
  locations: { key: ['location_id'], columns: ['name', 'kind', 'provincial_code'] },
  stock: { key: ['sku', 'location_id'], columns: ['on_hand', 'reserved', 'backordered', 'updated_at'] },
  restocks: {
    key: ['restock_id'],
    columns: ['sku', 'location_id', 'quantity', 'status', 'ordered_at', 'expected_at', 'received_at'],
  },
  stock_movements: {
    key: ['movement_id'],
    columns: ['sku', 'location_id', 'kind', 'quantity', 'event_time', 'order_id', 'restock_id'],
  },
  price_changes: { key: ['sku', 'effective_at'], columns: ['price', 'cost', 'reason'] },
} as const;
export type ShopTable = keyof typeof SHOP_CDC_TABLES;

const LOCK_CLASS = 0x0f11;

export function shopDatabaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/**
 * The replication slot of a shop database. Slots are cluster-wide and their names are
 * [a-z0-9_]{1,63}: named after the database, which is unique in the cluster.
 */
export function shopSlotName(url: string): string {
  const db = shopDatabaseName(url);
  const name = `orderflow_${db}`;
  return name.length <= 63 ? name : `orderflow_${createHash('sha256').update(db).digest('hex').slice(0, 40)}`;
}

export async function connectShop(url: string): Promise<pg.Client> {
  return openClient(
    { connectionString: url, options: `-c search_path=${SHOP_SCHEMA}` },
    'the shop database',
    ' (run `orderflow shop migrate` to create it)',
  );
}

/** A client on the same server's maintenance database, for CREATE/DROP DATABASE. */
async function connectServer(url: string): Promise<pg.Client> {
  const u = new URL(url);
  u.pathname = '/postgres';
  return openClient({ connectionString: u.toString() }, 'PostgreSQL');
}

/** Create the shop database if it does not exist; true when it was created. */
export async function ensureShopDatabase(url: string): Promise<boolean> {
  const db = shopDatabaseName(url);
  const server = await connectServer(url);
  try {
    const { rowCount } = await server.query('select 1 from pg_database where datname = $1', [db]);
    if (rowCount) return false;
    try {
      await server.query(`create database "${db}"`);
      return true;
    } catch (error) {
      // Created meanwhile by a concurrent run: 42P04, or 23505 when both inserted into pg_database.
      const code = (error as { code?: string }).code;
      if (code === '42P04' || code === '23505') return false;
      throw error;
    }
  } finally {
    await server.end();
  }
}

export interface ShopMigrateResult {
  database: string;
  created: boolean;
  applied: string[];
  seeded: boolean;
  /** Rows of the price schedule written (0 when the shop already had its schedule). */
  priceChanges: number;
  slot: string;
  slotCreated: boolean;
}

interface MigrationFile {
  version: number;
  label: string;
  sql: string;
  checksum: string;
}

function readShopMigrations(dir = SHOP_MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const sql = readFileSync(dir + f, 'utf8');
      return {
        version: Number(f.slice(0, 3)),
        label: f.slice(0, -4),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

/**
 * Bring the shop database up to date: create it, apply the pending migrations (each in its own
 * transaction, a changed applied file is refused), seed it once (never over the stock service's
 * changes), and create the replication slot if it is missing. Idempotent and safe to run twice
 * at once (an advisory lock serialises runs).
 */
export async function migrateShop(url: string, seed: number, log?: Logger): Promise<ShopMigrateResult> {
  const created = await ensureShopDatabase(url);
  const client = await connectShop(url);
  const slot = shopSlotName(url);
  try {
    await client.query('select pg_advisory_lock($1, 0)', [LOCK_CLASS]);
    try {
      await client.query(`create schema if not exists ${SHOP_SCHEMA}`);
      await client.query(`
        create table if not exists ${SHOP_SCHEMA}.shop_migrations (
          version integer primary key,
          name text not null,
          checksum text not null,
          applied_at timestamptz not null default now()
        )`);
      const { rows } = await client.query<{ version: number; name: string; checksum: string }>(
        `select version, name, checksum from ${SHOP_SCHEMA}.shop_migrations order by version`,
      );
      const done = new Map(rows.map((r) => [r.version, r]));
      const applied: string[] = [];
      for (const m of readShopMigrations()) {
        const had = done.get(m.version);
        if (had) {
          if (had.checksum !== m.checksum)
            throw new OrderflowError(
              'ORDERFLOW_MIGRATION_FAILED',
              `shop migration ${m.label}.sql was changed after it was applied to ${shopDatabaseName(url)}: add a new migration instead (or \`orderflow shop reset\` a local database)`,
            );
          continue;
        }
        await client.query('begin');
        try {
          await client.query(`set local search_path = ${SHOP_SCHEMA}`);
          await client.query(m.sql);
          await client.query(
            `insert into ${SHOP_SCHEMA}.shop_migrations (version, name, checksum) values ($1, $2, $3)`,
            [m.version, m.label, m.checksum],
          );
          await client.query('commit');
        } catch (error) {
          await client.query('rollback');
          throw new OrderflowError(
            'ORDERFLOW_MIGRATION_FAILED',
            `shop migration ${m.label}.sql failed in ${shopDatabaseName(url)}: ${describeError(error)}`,
            { cause: error },
          );
        }
        applied.push(m.label);
        log?.info({ database: shopDatabaseName(url), migration: m.label }, 'shop migration applied');
      }
      const seeded = await seedShop(client, seed);
      const priceChanges = await seedPriceChanges(client, seed);
      const slotCreated = await ensureSlot(client, slot);
      return { database: shopDatabaseName(url), created, applied, seeded, priceChanges, slot, slotCreated };
    } finally {
      await client.query('select pg_advisory_unlock($1, 0)', [LOCK_CLASS]);
    }
  } finally {
    await client.end();
  }
}

/** Seed an empty shop (no products yet) in one transaction; false when it already had products. */
async function seedShop(client: pg.Client, seed: number): Promise<boolean> {
  const { rows } = await client.query<{ n: string }>('select count(*) as n from products');
  if (Number(rows[0]?.n) > 0) return false;
  await client.query('begin');
  try {
    const products = shopProducts(seed);
    await client.query(
      `insert into products (sku, name, category, price, cost, reorder_point, reorder_quantity, lead_time_days)
       select * from jsonb_to_recordset($1::jsonb) as x(sku int, name text, category text, price numeric,
         cost numeric, reorder_point int, reorder_quantity int, lead_time_days int)`,
      [JSON.stringify(products)],
    );
    await client.query(
      `insert into locations (location_id, name, kind, provincial_code)
       select * from jsonb_to_recordset($1::jsonb) as x(location_id text, name text, kind text, provincial_code text)`,
      [JSON.stringify(SHOP_LOCATIONS)],
    );
    await client.query(
      `insert into stock (sku, location_id, on_hand)
       select * from jsonb_to_recordset($1::jsonb) as x(sku int, location_id text, on_hand int)`,
      [JSON.stringify(shopStock(seed))],
    );
    await client.query('commit');
    return true;
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

/**
 * Write the seed's price schedule into an empty price_changes table (a shop seeded before the table
 * existed gets it too); the number of rows written, 0 when it already had a schedule.
 */
async function seedPriceChanges(client: pg.Client, seed: number): Promise<number> {
  const { rows } = await client.query<{ n: string }>('select count(*) as n from price_changes');
  if (Number(rows[0]?.n) > 0) return 0;
  const changes = shopPriceChanges(seed);
  await client.query(
    `insert into price_changes (sku, effective_at, price, cost, reason)
     select * from jsonb_to_recordset($1::jsonb) as x(sku int, effective_at timestamptz, price numeric,
       cost numeric, reason text)`,
    [JSON.stringify(changes)],
  );
  return changes.length;
}

/** Create the logical replication slot (pgoutput) if it does not exist; true when created. */
async function ensureSlot(client: pg.Client, slot: string): Promise<boolean> {
  const { rowCount } = await client.query('select 1 from pg_replication_slots where slot_name = $1', [slot]);
  if (rowCount) return false;
  const { rows } = await client.query<{ wal_level: string }>('show wal_level');
  if (rows[0]?.wal_level !== 'logical') {
    throw new OrderflowError(
      'ORDERFLOW_USAGE',
      `PostgreSQL runs with wal_level=${rows[0]?.wal_level}: change data capture needs wal_level=logical (the local stack sets it: run \`orderflow stack up\`, which restarts a cluster started without it)`,
    );
  }
  try {
    await client.query(`select pg_create_logical_replication_slot($1, 'pgoutput')`, [slot]);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '42710') return false; // created meanwhile
    throw error;
  }
}

/**
 * Drop the shop database's replication slot (ending the walsender that holds it, if the connector
 * still streams) and then the database itself. WAL kept for the slot is released at once.
 */
export async function resetShop(url: string): Promise<{ slotDropped: boolean; databaseDropped: boolean }> {
  const slot = shopSlotName(url);
  const db = shopDatabaseName(url);
  const server = await connectServer(url);
  try {
    let slotDropped = false;
    for (let attempt = 0; attempt < 20; attempt++) {
      const { rows } = await server.query<{ active_pid: number | null }>(
        'select active_pid from pg_replication_slots where slot_name = $1',
        [slot],
      );
      if (rows.length === 0) break;
      if (rows[0]?.active_pid != null) {
        await server.query('select pg_terminate_backend($1)', [rows[0].active_pid]);
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      try {
        await server.query('select pg_drop_replication_slot($1)', [slot]);
        slotDropped = true;
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== '55006') throw error; // 55006: in use, retry
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    const { rowCount } = await server.query('select 1 from pg_database where datname = $1', [db]);
    if (rowCount) await server.query(`drop database "${db}" with (force)`);
    return { slotDropped, databaseDropped: Boolean(rowCount) };
  } finally {
    await server.end();
  }
}
