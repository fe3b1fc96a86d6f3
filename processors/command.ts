import type { Command } from 'commander';
import { OrderflowError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { addSettingFlags, loadCommandSettings } from '../common/setting-flags.ts';
import { Shutdown } from '../common/shutdown.ts';
import type { Stage } from '../schemas/types.generated.ts';
import { startOrderStage } from './service.ts';
import { DEFAULT_PORTS, processorSettings, type ProcessorSettings } from './settings.ts';
import { STAGES, STAGE_NAMES } from './stages.ts';

/** The flags of `process`, one per setting (help for the payment stage; the port is per stage). */
const FLAGS = [
  'seed',
  'profile',
  'speed',
  'anchor',
  'releaseIntervalMs',
  'instanceId',
  'topicPrefix',
  'group',
  'port',
  'host',
  'batchSize',
  'transactions',
] as const;

export function register(program: Command): void {
  const processCommand = program
    .command('process')
    .argument('<stage>', `the stage to run: ${STAGE_NAMES.join(', ')}`)
    .description(
      'Run one order-lifecycle stage (payment: unpaid_orders -> paid_orders, shipping: paid_orders -> shipped_orders, ' +
        'delivery: shipped_orders -> finished_orders; failures -> failed_orders) exactly once, until SIGTERM. ' +
        'Run more instances with distinct --instance-id to scale out.',
    );
  addSettingFlags(processCommand, processorSettings('payment'), FLAGS, {
    port: { defaultLabel: `${Object.values(DEFAULT_PORTS).join('/')} by stage` },
  })
    .addHelpText('after', '\nThe global --verbose flag also logs every record at debug level.')
    .action(async (stageArg: string, _opts: unknown, command: Command) => {
      if (!(stageArg in STAGES)) {
        throw new OrderflowError(
          'ORDERFLOW_USAGE',
          `unknown stage "${stageArg}": use one of ${STAGE_NAMES.join(', ')}`,
        );
      }
      const stage = stageArg as Stage;
      const settings = loadCommandSettings(processorSettings(stage), command) as ProcessorSettings;
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
