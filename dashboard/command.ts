import type { Command } from 'commander';
import { OrderflowError, describeError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { addSettingFlags, loadCommandSettings } from '../common/setting-flags.ts';
import { Shutdown } from '../common/shutdown.ts';
import { readCdcLandings } from './live/cdc-landings.ts';
import { readLiveCarts } from './live/live-carts.ts';
import { PipelineWatcher } from './live/pipeline.ts';
import { buildDashboard } from './server.ts';
import { dashboardSettings } from './settings.ts';
import { WarehouseReader } from './warehouse-reader.ts';
import { redactUrl } from '../common/database.ts';
import { localKafkaLogDir } from './kafka/local-log-dir.ts';

export function register(program: Command): void {
  const dashboard = program
    .command('dashboard')
    .description(
      'Serve the dashboards: eight analysis tabs over the warehouse (revenue & profit, orders, customers, items, payment & delivery, location, support, stock) and a live pipeline view',
    );
  addSettingFlags(dashboard, dashboardSettings, [
    'port',
    'host',
    'schema',
    'databaseUrl',
    'topicPrefix',
    'allowWrites',
  ])
    .option('--no-live', 'serve the analysis tabs only (no Kafka, Connect or processor calls)')
    .addHelpText(
      'after',
      "\nThe front end is built by `npm run build:web` (into dashboard/web/dist). Periods end at the newest order's Asia/Manila day.\nThe live tab reads topics with the topic prefix, Connect at ORDERFLOW_CONNECT_URL and processors at ORDERFLOW_DASHBOARD_PROCESSOR_URLS.",
    )
    .action(async (flags: { live: boolean }, command: Command) => {
      const s = loadCommandSettings(dashboardSettings, command);
      const log = createLogger('dashboard');
      const db = new WarehouseReader(s.databaseUrl, s.schema);
      const watcher = flags.live
        ? new PipelineWatcher({
            kafkaBootstrap: s.kafkaBootstrap,
            registryUrl: s.registryUrl,
            connectUrl: s.connectUrl,
            topicPrefix: s.topicPrefix,
            processorUrls: s.processorUrls,
            splitGroups: s.splitGroups,
            databaseProbe: async () => {
              await db.rows('select 1');
            },
            databaseAddress: redactUrl(s.databaseUrl),
            cdcLandings: (windowMs) => readCdcLandings(db, windowMs),
            liveCarts: () => readLiveCarts(db),
            log,
          })
        : undefined;
      const kafka = flags.live
        ? {
            kafkaBootstrap: s.kafkaBootstrap,
            registryUrl: s.registryUrl,
            connectUrl: s.connectUrl,
            topicPrefix: s.topicPrefix,
            allowWrites: s.allowWrites,
            token: s.token || undefined,
            host: s.host,
            kafkaLogDir: localKafkaLogDir(s.kafkaBootstrap),
            splitGroups: s.splitGroups,
            log,
          }
        : undefined;
      // The SQL tab: read-only statements through the Flink SQL Gateway (dashboard/sql/statement.ts).
      const sql = flags.live
        ? {
            kafkaBootstrap: s.kafkaBootstrap,
            registryUrl: s.registryUrl,
            topicPrefix: s.topicPrefix,
            flinkRestPort: s.flinkRestPort,
            flinkGatewayPort: s.flinkGatewayPort,
            log,
          }
        : undefined;
      const app = await buildDashboard({ db, watcher, kafka, sql, log });
      try {
        await app.listen({ port: s.port, host: s.host });
      } catch (error) {
        await db.close();
        await watcher?.close();
        throw new OrderflowError(
          'ORDERFLOW_CONFIG_INVALID',
          `the dashboard cannot listen on ${s.host}:${s.port}: ${describeError(error)} (choose another with --port)`,
          { cause: error },
        );
      }
      console.log(`dashboard: http://${s.host}:${s.port}/ (warehouse schema "${s.schema}")`);
      if (kafka)
        console.log(
          `kafka views: writes ${kafka.allowWrites ? 'allowed' : 'off (--allow-writes turns them on)'}`,
        );
      const shutdown = new Shutdown(log, 10_000).install();
      shutdown.add('database pool', () => db.close());
      if (watcher) shutdown.add('pipeline watcher', () => watcher.close());
      shutdown.add('http server', () => app.close());
    });
}
