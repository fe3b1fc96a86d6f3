import type { Command } from 'commander';
import { loadSettings } from '../common/config.ts';
import { createLogger } from '../common/logger.ts';
import { Shutdown } from '../common/shutdown.ts';
import { startSplitter } from './service.ts';
import { splitterSettings } from './settings.ts';

export function register(program: Command): void {
  program
    .command('split')
    .description(
      'Run the splitter service: read finished_orders and failed_orders and write the flat split topics orders, customers and order_items exactly once (what the ksqlDB statements in ksql/ compute); runs until SIGTERM',
    )
    .option('--prefix <prefix>', 'topic prefix of the pipeline (ORDERFLOW_TOPIC_PREFIX)')
    .option(
      '--instance <id>',
      'instance name, unique per running instance (ORDERFLOW_SPLITTER_INSTANCE, default: host name)',
    )
    .option(
      '--batch-size <n>',
      'most records per batch and transaction (ORDERFLOW_SPLITTER_BATCH_SIZE, default 1000)',
    )
    .action(async (opts: { prefix?: string; instance?: string; batchSize?: string }) => {
      const s = loadSettings(splitterSettings, process.env, {
        topicPrefix: opts.prefix,
        instanceId: opts.instance,
        batchSize: opts.batchSize,
      });
      const log = createLogger('splitter');
      const shutdown = new Shutdown(log).install();
      const runtime = await startSplitter({ ...s, log, onFatal: () => void shutdown.run(1) });
      shutdown.add('splitter', () => runtime.stop());
      await shutdown.whenStopping();
    });
}
