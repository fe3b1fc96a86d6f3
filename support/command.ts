import type { Command } from 'commander';
import { createLogger } from '../common/logger.ts';
import { addSettingFlags, loadCommandSettings } from '../common/setting-flags.ts';
import { Shutdown } from '../common/shutdown.ts';
import { SupportLoader } from './loader.ts';
import { startSupport } from './service.ts';
import { supportLoadSettings, supportSettings } from './settings.ts';

export function register(program: Command): void {
  const support = program
    .command('support')
    .description(
      'The customer support desk: ticket simulator with daily FTP reports, and their loader into the warehouse',
    );

  const simulate = support
    .command('simulate')
    .description(
      'Open tickets from finished_orders and failed_orders (exactly once, with the offsets in PostgreSQL) and upload customer_support_data_YYYY-MM-DD.csv at each simulated midnight; runs until SIGTERM',
    );
  addSettingFlags(simulate, supportSettings, ['topicPrefix', 'seed', 'instanceId', 'batchSize']).action(
    async (_opts: unknown, command: Command) => {
      const s = loadCommandSettings(supportSettings, command);
      const log = createLogger('support');
      const shutdown = new Shutdown(log).install();
      const desk = await startSupport({
        ...s,
        ftp: s,
        rates: { inquiry: s.inquiryRate },
        dirt: { duplicate: s.duplicateRate, staleStatus: s.staleStatusRate },
        log,
        onFatal: () => void shutdown.run(1),
      });
      shutdown.add('support', () => desk.stop());
      await shutdown.whenStopping();
    },
  );

  const load = support
    .command('load')
    .description(
      'Load each support report from the FTP server into dim_support_ticket / fact_support_ticket_event (once: it records what it loaded), then keep polling',
    )
    .option('--once', 'one pass over the reports on the server, then exit');
  addSettingFlags(load, supportLoadSettings, ['databaseUrl', 'schema']).action(
    async (opts: { once?: boolean }, command: Command) => {
      const s = loadCommandSettings(supportLoadSettings, command);
      const log = createLogger('support-loader');
      const loader = new SupportLoader({ ...s, ftp: s, log });
      if (opts.once) {
        try {
          const r = await loader.loadOnce();
          console.log(
            `loaded ${r.loaded.length} report(s), rejected ${r.rejected.length}${r.missing.length ? `, missing days: ${r.missing.join(', ')}` : ''}`,
          );
        } finally {
          await loader.close();
        }
        return;
      }
      const shutdown = new Shutdown(log).install();
      let stopping = false;
      shutdown.add('support-loader', async () => {
        stopping = true;
        await running;
        await loader.close();
      });
      const running = loader
        .run(s.pollMs, () => stopping)
        .catch((error: unknown) => {
          log.error({ err: String(error) }, 'loader failed');
          void shutdown.run(1);
        });
      await shutdown.whenStopping();
    },
  );
}
