import type { Command } from 'commander';
import { ConnectClient } from '../common/connect-client.ts';
import { createLogger } from '../common/logger.ts';
import { addSettingFlags, loadCommandSettings } from '../common/setting-flags.ts';
import { migrateShop, resetShop, shopSlotName } from '../common/shop-database.ts';
import { cdcConnectorNames } from '../common/names.ts';
import { shopSettings } from './settings.ts';

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
        }, ${r.seeded ? 'seeded from the reference data' : 'already seeded'}, slot ${r.slot} ${r.slotCreated ? 'created' : 'exists'}`,
      );
    });

  withFlags(shop.command('reset'), ['shopDatabaseUrl', 'topicPrefix'])
    .description(
      "Delete the CDC source connector, drop the shop database's replication slot (so no WAL piles up for it) and drop the database; `shop migrate` makes a fresh one",
    )
    .action(async (_opts: unknown, command: Command) => {
      const s = loadCommandSettings(shopSettings, command);
      const connect = new ConnectClient(s.connectUrl);
      try {
        if (await connect.delete(cdcConnectorNames(s.topicPrefix).source))
          console.log(`deleted connector ${cdcConnectorNames(s.topicPrefix).source}`);
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
}
