import type { Command } from 'commander';
import { createLogger } from '../common/logger.ts';
import { addSettingFlags, loadCommandSettings } from '../common/setting-flags.ts';
import { Shutdown } from '../common/shutdown.ts';
import { startSplitter } from './service.ts';
import { splitterSettings } from './settings.ts';

export function register(program: Command): void {
  const split = program
    .command('split')
    .description(
      'Run the splitter service: read finished_orders and failed_orders and write the flat split topics orders, customers and order_items exactly once (what the ksqlDB statements in ksql/ compute); runs until SIGTERM',
    );
  addSettingFlags(split, splitterSettings, ['topicPrefix', 'instanceId', 'batchSize']).action(
    async (_opts: unknown, command: Command) => {
      const s = loadCommandSettings(splitterSettings, command);
      const log = createLogger('splitter');
      const shutdown = new Shutdown(log).install();
      const runtime = await startSplitter({ ...s, log, onFatal: () => void shutdown.run(1) });
      shutdown.add('splitter', () => runtime.stop());
      await shutdown.whenStopping();
    },
  );
}
