import type { Command } from 'commander';
import { createLogger } from '../common/logger.ts';
import { addSettingFlags, loadCommandSettings } from '../common/setting-flags.ts';
import { migrateShop } from '../common/shop-database.ts';
import { Shutdown } from '../common/shutdown.ts';
import { startStockService } from './service.ts';
import { stockSettings } from './settings.ts';

export function register(program: Command): void {
  addSettingFlags(program.command('stock'), stockSettings, [
    'shopDatabaseUrl',
    'topicPrefix',
    'batchSize',
    'seed',
  ])
    .description(
      "The stock service: keeps the shop database's stock from paid_orders, finished_orders and failed_orders exactly once (offsets stored in the same transaction): paid reserves, delivered consumes, cancelled releases, returned goods come back; below the reorder point it raises a restock that arrives after the product's lead time in event time; stock-outs are recorded as backorders. Runs until SIGTERM",
    )
    .action(async (_opts: unknown, command: Command) => {
      const s = loadCommandSettings(stockSettings, command);
      const log = createLogger('stock');
      const shutdown = new Shutdown(log).install();
      await migrateShop(s.shopDatabaseUrl, s.seed, log);
      const running = await startStockService({ ...s, log, onFatal: () => void shutdown.run(1) });
      shutdown.add('stock service', () => running.stop());
      log.info({ topicPrefix: s.topicPrefix }, 'keeping stock');
      await shutdown.whenStopping();
    });
}
