import type { Command } from 'commander';
import type pg from 'pg';
import type { SettingsOf } from '../common/config.ts';
import { OrderflowError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { addSettingFlags, loadCommandSettings } from '../common/setting-flags.ts';
import { formatResults, runChecks } from './check.ts';
import { connectWarehouse } from '../common/database.ts';
import { assertMigrated, migrate } from './migrate.ts';
import {
  readGeneratorReferenceData,
  replaceVatRules,
  upsertLocations,
  upsertProducts,
  upsertStores,
} from './reference-data.ts';
import { refreshWarehouse } from './refresh.ts';
import { warehouseSettings } from './settings.ts';

/** Run `work` on a client of the command's schema, which must be migrated; the client is closed after. */
async function onMigratedSchema<T>(
  settings: { databaseUrl: string; schema: string },
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = await connectWarehouse(settings.databaseUrl, settings.schema);
  try {
    await assertMigrated(client, settings.schema);
    return await work(client);
  } finally {
    await client.end();
  }
}

type WarehouseSettings = SettingsOf<typeof warehouseSettings>;

/**
 * A `warehouse` subcommand: its name, description and one flag of its own, the schema and database
 * flags every subcommand has, and what it does with the settings (validated) and its flag.
 */
function subcommand<O>(
  warehouse: Command,
  name: string,
  description: string,
  flag: [string, string],
  run: (settings: WarehouseSettings, options: O) => Promise<void>,
): void {
  addSettingFlags(
    warehouse
      .command(name)
      .description(description)
      .option(...flag),
    warehouseSettings,
    ['schema', 'databaseUrl'],
  ).action((options: O, command: Command) => run(loadCommandSettings(warehouseSettings, command), options));
}

export function register(program: Command): void {
  const warehouse = program
    .command('warehouse')
    .description(
      'PostgreSQL side: migrations, reference data, the star schema, metric views and data-quality checks',
    );

  subcommand(
    warehouse,
    'migrate',
    'Create or upgrade the warehouse schema (landing tables, dimensions, facts, metric views), then load the reference tables (products, locations, stores, VAT rules)',
    ['--no-reference-data', 'skip loading the reference tables from the generator'],
    async (settings, options: { referenceData: boolean }) => {
      const log = createLogger('warehouse');
      const result = await migrate(settings.databaseUrl, settings.schema, log);
      console.log(
        `schema ${result.schema}: ${result.applied.length} migration(s) applied${
          result.applied.length ? ` (${result.applied.join(', ')})` : ''
        }, ${result.alreadyApplied} already applied`,
      );
      if (!options.referenceData) return;
      const { products, locations, stores, vatRules } = await readGeneratorReferenceData();
      const client = await connectWarehouse(settings.databaseUrl, settings.schema);
      try {
        const changedProducts = await upsertProducts(client, products);
        const changedLocations = await upsertLocations(client, locations);
        const changedStores = await upsertStores(client, stores);
        const changedRules = await replaceVatRules(client, vatRules);
        console.log(
          `reference data: ${products.length} products (${changedProducts} changed), ${locations.length} locations (${changedLocations} changed), ${stores.length} stores (${changedStores} changed), ${vatRules.length} VAT rules (${changedRules} changed)`,
        );
      } finally {
        await client.end();
      }
    },
  );

  subcommand(
    warehouse,
    'check',
    'Run the data-quality assertions (keys, references, lifecycle invariants, fact totals, SCD2 history); exits 1 if any fails',
    ['--json', 'print the results as JSON'],
    async (settings, options: { json?: boolean }) => {
      const results = await onMigratedSchema(settings, (client) => runChecks(client));
      console.log(options.json ? JSON.stringify(results, null, 2) : formatResults(results));
      const failed = results.filter((r) => !r.passed);
      if (failed.length > 0) {
        throw new OrderflowError(
          'ORDERFLOW_CHECK_FAILED',
          `${failed.length} of ${results.length} data-quality assertions failed in schema ${settings.schema}: ${failed
            .map((r) => r.name)
            .join(', ')}`,
        );
      }
    },
  );

  subcommand(
    warehouse,
    'refresh',
    'Extend the calendar over the data, refresh the materialized views (and optionally rebuild customer history)',
    ['--rebuild-customers', "recompute every customer's SCD2 history from the observations"],
    async (settings, options: { rebuildCustomers?: boolean }) => {
      const r = await onMigratedSchema(settings, (client) =>
        refreshWarehouse(client, { rebuildCustomers: options.rebuildCustomers === true }),
      );
      console.log(
        `schema ${settings.schema}: calendar ${r.calendarDays} days, materialized views refreshed: ${
          r.materializedViews.join(', ') || 'none'
        }${r.customersRebuilt === null ? '' : `, ${r.customersRebuilt} customers rebuilt`} (${r.ms} ms)`,
      );
    },
  );
}
