import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { loadSettings } from '../../../common/config.ts';
import { connectWarehouse } from '../../../common/database.ts';
import { migrate } from '../../../warehouse/migrate.ts';
import { readGeneratorReferenceData } from '../../../warehouse/reference-data.ts';
import { refreshWarehouse } from '../../../warehouse/refresh.ts';
import { sampleData, type SampleData } from '../../../warehouse/sample-data.ts';
import { loadSample } from '../../../warehouse/sample-load.ts';
import { warehouseSettings } from '../../../warehouse/settings.ts';

export const databaseUrl = loadSettings(warehouseSettings).databaseUrl;

export interface SeededWarehouse {
  schema: string;
  client: pg.Client;
  data: SampleData | null;
  drop: () => Promise<void>;
}

/**
 * A throw-away, migrated warehouse schema; with `orders` > 0 it holds seeded landing rows (the
 * warehouse's sample data over the generator's real catalogue and 99 locations) spanning `days`.
 */
export async function seededWarehouse(
  label: string,
  options: { orders: number; days?: number; seed?: number } = { orders: 3000 },
): Promise<SeededWarehouse> {
  const schema = `dash_${label}_${randomBytes(4).toString('hex')}`;
  await migrate(databaseUrl, schema);
  const client = await connectWarehouse(databaseUrl, schema);
  let data: SampleData | null = null;
  if (options.orders > 0) {
    const reference = await readGeneratorReferenceData();
    data = sampleData({
      seed: options.seed ?? 20260314,
      orders: options.orders,
      start: Date.UTC(2024, 10, 1, 3),
      days: options.days ?? 730,
      customers: Math.round(options.orders / 3),
      ...(reference.products ? { products: reference.products } : {}),
      ...(reference.locations ? { locations: reference.locations } : {}),
    });
    await loadSample(client, data);
    await refreshWarehouse(client);
    await client.query('analyze');
  }
  return {
    schema,
    client,
    data,
    drop: async () => {
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    },
  };
}
