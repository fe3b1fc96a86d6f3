import type { Command } from 'commander';
import { loadSettings } from '../common/config.ts';
import { OrderflowError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { Shutdown } from '../common/shutdown.ts';
import type { Stage } from '../schemas/types.generated.ts';
import { startOrderStage } from './service.ts';
import { DEFAULT_PORTS, processorSettings, type ProcessorSettings } from './settings.ts';
import { STAGES, STAGE_NAMES } from './stages.ts';

interface ProcessOptions {
  seed?: string;
  profile?: string;
  speed?: string;
  anchor?: string;
  releaseIntervalMs?: string;
  instanceId?: string;
  topicPrefix?: string;
  group?: string;
  port?: string;
  host?: string;
  batchSize?: string;
  transactions?: boolean;
}

export function register(program: Command): void {
  program
    .command('process')
    .argument('<stage>', `the stage to run: ${STAGE_NAMES.join(', ')}`)
    .description(
      'Run one order-lifecycle stage (payment: unpaid_orders -> paid_orders, shipping: paid_orders -> shipped_orders, ' +
        'delivery: shipped_orders -> finished_orders; failures -> failed_orders) exactly once, until SIGTERM. ' +
        'Run more instances with distinct --instance-id to scale out.',
    )
    .option('--seed <n>', 'global seed of the outcome draws (ORDERFLOW_SEED, default 1)')
    .option('--profile <name>', 'outcome rates: default or historical (ORDERFLOW_PROFILE, default "default")')
    .option(
      '--speed <factor>',
      'live pacing: simulated seconds per real second, 0 = backfill (ORDERFLOW_SPEED, default 0)',
    )
    .option(
      '--anchor <time>',
      'live pacing: instant (ISO 8601 or epoch ms) where simulated time = real time (default: start)',
    )
    .option(
      '--release-interval-ms <ms>',
      'live pacing: how often due held outputs are released (ORDERFLOW_RELEASE_INTERVAL_MS, default 200)',
    )
    .option(
      '--instance-id <id>',
      'unique, stable name of this instance (ORDERFLOW_INSTANCE_ID, default <host>-<pid>)',
    )
    .option('--topic-prefix <prefix>', 'prefix of every topic name (ORDERFLOW_TOPIC_PREFIX, default none)')
    .option('--group <id>', 'consumer group (ORDERFLOW_GROUP, default <prefix>orderflow-<stage>)')
    .option(
      '--port <port>',
      `HTTP port of /health, /ready, /metrics; 0 = any (default ${Object.values(DEFAULT_PORTS).join('/')})`,
    )
    .option(
      '--host <address>',
      'address of the HTTP server (ORDERFLOW_HTTP_HOST, default 127.0.0.1; 0.0.0.0 in containers)',
    )
    .option('--batch-size <n>', 'most records per batch and transaction (ORDERFLOW_BATCH_SIZE, default 1000)')
    .option(
      '--no-transactions',
      'at-least-once instead of exactly-once (only to measure what transactions cost)',
    )
    .addHelpText('after', '\nThe global --verbose flag also logs every record at debug level.')
    .action(async (stageArg: string, opts: ProcessOptions, command: Command) => {
      if (!(stageArg in STAGES)) {
        throw new OrderflowError(
          'ORDERFLOW_USAGE',
          `unknown stage "${stageArg}": use one of ${STAGE_NAMES.join(', ')}`,
        );
      }
      const stage = stageArg as Stage;
      const settings = loadSettings(processorSettings(stage), process.env, {
        seed: opts.seed,
        profile: opts.profile,
        speed: opts.speed,
        anchor: opts.anchor,
        releaseIntervalMs: opts.releaseIntervalMs,
        instanceId: opts.instanceId,
        topicPrefix: opts.topicPrefix,
        group: opts.group,
        port: opts.port,
        host: opts.host,
        batchSize: opts.batchSize,
        transactions: opts.transactions === false ? false : undefined,
      }) as ProcessorSettings;
      const verbose = command.optsWithGlobals<{ verbose?: boolean }>().verbose === true;
      const log = createLogger(`processor-${stage}`, verbose ? 'debug' : undefined);
      const shutdown = new Shutdown(log).install();
      const running = await startOrderStage(stage, settings, log, () => void shutdown.run(1));
      shutdown.add(`${stage} stage`, () => running.stop());
      log.info(
        { port: running.server.port, seed: settings.seed, profile: settings.profile, speed: settings.speed },
        'processing',
      );
      await shutdown.whenStopping();
    });
}
