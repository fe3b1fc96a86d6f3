import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { loadSettings } from '../../../common/config.ts';
import { connectWarehouse } from '../../../common/database.ts';
import { migrate } from '../../../warehouse/migrate.ts';
import { warehouseSettings } from '../../../warehouse/settings.ts';

export const databaseUrl = loadSettings(warehouseSettings).databaseUrl;

export interface FreshSchema {
  schema: string;
  client: pg.Client;
  drop: () => Promise<void>;
}

/** A throw-away, fully migrated schema for one test file (ORDERFLOW_DATABASE_URL picks the server). */
export async function freshSchema(label: string): Promise<FreshSchema> {
  const schema = `wh_${label}_${randomBytes(4).toString('hex')}`;
  await migrate(databaseUrl, schema);
  const client = await connectWarehouse(databaseUrl, schema);
  return {
    schema,
    client,
    drop: async () => {
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    },
  };
}

/**
 * A fresh schema for the test file that calls this: made before its tests and dropped after them
 * (the fixture registers both hooks). `client` and `schema` are there once the file's hooks run.
 */
export function schemaForFile(label: string): Omit<FreshSchema, 'drop'> {
  let made: FreshSchema | undefined;
  beforeAll(async () => {
    made = await freshSchema(label);
  });
  afterAll(async () => {
    await made?.drop();
  });
  const current = (): FreshSchema => {
    if (!made) throw new Error(`the ${label} schema is used before the file's beforeAll made it`);
    return made;
  };
  return {
    get schema() {
      return current().schema;
    },
    get client() {
      return current().client;
    },
  };
}
