import type { Command } from 'commander';
import { createLogger } from '../common/logger.ts';
import { addSettingFlags, loadCommandSettings } from '../common/setting-flags.ts';
import { Shutdown } from '../common/shutdown.ts';
import { startStorefront } from './service.ts';
import { storefrontSettings } from './settings.ts';

export function register(program: Command): void {
  const storefront = program
    .command('storefront')
    .description(
      "Run the storefront service: for each online order in unpaid_orders, write its storefront session (the customer's abandoned carts in the hours before, then the cart the order checks out) to cart_events, keyed by cart_id, exactly once; the events are drawn from the seed and the order alone, so a replay writes the same bytes. Runs until SIGTERM",
    );
  addSettingFlags(storefront, storefrontSettings, [
    'seed',
    'topicPrefix',
    'instanceId',
    'batchSize',
    'port',
    'host',
  ]).action(async (_opts: unknown, command: Command) => {
    const s = loadCommandSettings(storefrontSettings, command);
    const log = createLogger('storefront');
    const shutdown = new Shutdown(log).install();
    const running = await startStorefront({ ...s, log, onFatal: () => void shutdown.run(1) });
    shutdown.add('storefront', () => running.stop());
    log.info(
      { port: running.server.port, seed: s.seed, topicPrefix: s.topicPrefix },
      'writing storefront sessions',
    );
    await shutdown.whenStopping();
  });
}
