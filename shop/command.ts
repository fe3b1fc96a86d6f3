import type { Command } from 'commander';
import { ConnectClient } from '../common/connect-client.ts';
import { createLogger } from '../common/logger.ts';
import { addSettingFlags, loadCommandSettings } from '../common/setting-flags.ts';
import { migrateShop, resetShop, shopDatabaseName, shopSlotName } from '../common/shop-database.ts';
import { cdcConnectorNames } from '../common/names.ts';
import { shopSettings } from './settings.ts';
import { OrderflowError } from '../common/errors.ts';
import { reconcileShop } from './reconcile.ts';
import { describeDifferences, isClean, type TableDifference } from './reconcile-compare.ts';

function withFlags(cmd: Command, keys: readonly (keyof typeof shopSettings)[]): Command {
  return addSettingFlags(cmd, shopSettings, keys);
}

export function register(program: Command): void {
  const shop = program
    .command('shop')
    .description(
      "The shop's operational database (products, prices, stock per location, restocks), the source of the CDC stream into the warehouse",
    );

  withFlags(shop.command('migrate'), ['shopDatabaseUrl', 'seed'])
    .description(
      'Create the shop database if missing, apply shop/migrations, seed it from the reference data (once: never over later changes) and create its replication slot',
    )
    .action(async (_opts: unknown, command: Command) => {
      const s = loadCommandSettings(shopSettings, command);
      const r = await migrateShop(s.shopDatabaseUrl, s.seed, createLogger('shop'));
      console.log(
        `shop database ${r.database}${r.created ? ' (created)' : ''}: ${r.applied.length} migration(s) applied${
          r.applied.length ? ` (${r.applied.join(', ')})` : ''
        }, ${r.seeded ? 'seeded from the reference data' : 'already seeded'}, ${
          r.priceChanges ? `${r.priceChanges} scheduled price changes written` : 'price schedule in place'
        }, slot ${r.slot} ${r.slotCreated ? 'created' : 'exists'}`,
      );
    });

  withFlags(shop.command('reset'), ['shopDatabaseUrl', 'topicPrefix'])
    .description(
      "Delete the CDC source connector, drop the shop database's replication slot (so no WAL piles up for it) and drop the database; `shop migrate` makes a fresh one",
    )
    .action(async (_opts: unknown, command: Command) => {
      const s = loadCommandSettings(shopSettings, command);
      // The source connector of this prefix, only if it streams this very database (a test's reset of
      // its own shop database must not delete the pipeline's connector).
      const source = cdcConnectorNames(s.topicPrefix).source;
      try {
        const res = await fetch(
          `${s.connectUrl.replace(/\/+$/, '')}/connectors/${encodeURIComponent(source)}/config`,
          {
            signal: AbortSignal.timeout(10_000),
          },
        );
        const config = res.ok ? ((await res.json()) as Record<string, string>) : undefined;
        if (config?.['database.dbname'] === shopDatabaseName(s.shopDatabaseUrl)) {
          await new ConnectClient(s.connectUrl).delete(source);
          console.log(`deleted connector ${source}`);
        }
      } catch (error) {
        console.log(`Kafka Connect not reachable (${String(error)}): the source connector, if any, stays`);
      }
      const r = await resetShop(s.shopDatabaseUrl);
      console.log(
        `slot ${shopSlotName(s.shopDatabaseUrl)} ${r.slotDropped ? 'dropped' : 'did not exist'}; database ${
          r.databaseDropped ? 'dropped' : 'did not exist'
        }`,
      );
    });

  withFlags(shop.command('reconcile'), ['shopDatabaseUrl', 'databaseUrl', 'warehouseSchema'])
    .description(
      'Compare the shop tables (products, locations, stock, restocks) with their CDC copies in the warehouse (shop_*), row by row by key; exit 1 naming every missing, extra or different row',
    )
    .option('--wait <seconds>', 'check again until clean or this many seconds have passed (CDC lag)', '0')
    .option('--json', 'print the differences as JSON')
    .action(async (opts: { wait: string; json?: boolean }, command: Command) => {
      const s = loadCommandSettings(shopSettings, command);
      const waitMs = Number(opts.wait) * 1000;
      if (!Number.isFinite(waitMs) || waitMs < 0)
        throw new OrderflowError(
          'ORDERFLOW_USAGE',
          `--wait ${opts.wait}: use a number of seconds, 0 or more`,
        );
      const deadline = Date.now() + waitMs;
      let result: TableDifference[];
      for (;;) {
        result = await reconcileShop(s);
        if (result.every(isClean) || Date.now() >= deadline) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      if (opts.json) console.log(JSON.stringify(result, null, 2));
      const lines = result.flatMap(describeDifferences);
      for (const d of result) {
        const n = d.missing.length + d.extra.length + d.different.length;
        if (!opts.json) console.log(`${d.table}: ${n === 0 ? 'same' : `${n} difference(s)`}`);
      }
      if (!opts.json) for (const line of lines) console.log(`  ${line}`);
      if (lines.length > 0)
        throw new OrderflowError(
          'ORDERFLOW_SHOP_MISMATCH',
          `the shop database and its copy in warehouse schema ${s.warehouseSchema} disagree: ${lines.length} difference(s) (listed above)`,
        );
    });
}
