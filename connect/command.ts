import type { Command } from 'commander';
import { OrderflowError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { addSettingFlags, loadCommandSettings } from '../common/setting-flags.ts';
import { runReconcile } from './reconcile.ts';
import { formatReconciliation } from './reconcile-compare.ts';
import {
  cdcStatuses,
  deleteCdc,
  deleteSinks,
  deployCdc,
  deploySinks,
  replaySinks,
  reportStatuses,
  sinkStatuses,
} from './deploy.ts';
import { renderCdcConnectors } from './cdc-config.ts';
import { watchSinks } from './watchdog.ts';
import { reconcileSettings, sinkSettings } from './settings.ts';
import { renderSinks, type SinkValues } from './sink-config.ts';

function load(command: Command) {
  const s = loadCommandSettings(sinkSettings, command);
  const values: SinkValues & { shopDatabaseUrl: string } = { ...s };
  return { s, values };
}

/** --topic-prefix (it also prefixes the connector names) and --schema, on every connect command and reconcile. */
function common(cmd: Command): Command {
  return addSettingFlags(cmd, sinkSettings, ['topicPrefix', 'warehouseSchema', 'shopDatabaseUrl']);
}

export function register(program: Command): void {
  const connect = program
    .command('connect')
    .description(
      'The JDBC sink connectors that land the split topics (orders, customers, order_items) in PostgreSQL',
    );

  common(connect.command('deploy'))
    .description(
      'Create or update one Debezium JDBC sink connector per split topic from connect/sinks/*.json, wait until they and their tasks are RUNNING, and print their state (exit 1 if any FAILED)',
    )
    .option('--dry-run', 'print the filled-in configurations (password redacted) instead of deploying')
    .option(
      '--no-cdc',
      "skip change data capture: the shop database's Debezium source connector and its landing sink (connect/sources, connect/cdc-sinks)",
    )
    .action(async (opts: { dryRun?: boolean; cdc: boolean }, command: Command) => {
      const { s, values } = load(command);
      if (opts.dryRun) {
        for (const c of [...renderSinks(values), ...(opts.cdc ? renderCdcConnectors(values) : [])]) {
          const shown = { ...c.config };
          for (const k of ['connection.password', 'database.password'])
            if (k in shown) shown[k] = shown[k] ? '[redacted]' : '';
          console.log(JSON.stringify({ name: c.name, config: shown }, null, 2));
        }
        return;
      }
      const result = await deploySinks(s.connectUrl, values, s.waitSeconds * 1000);
      for (const [name, action] of result.actions) console.log(`${name}: ${action}`);
      if (opts.cdc) {
        const cdc = await deployCdc(s.connectUrl, values, s.seed, s.waitSeconds * 1000);
        console.log(
          `shop database ${cdc.shop.database}: ${cdc.shop.created ? 'created, ' : ''}${cdc.shop.applied.length} migration(s) applied, slot ${cdc.shop.slot}`,
        );
        for (const [name, action] of cdc.actions) console.log(`${name}: ${action}`);
        for (const [name, status] of cdc.statuses) result.statuses.set(name, status);
      }
      reportStatuses(result.statuses, (line) => console.log(line));
    });

  common(connect.command('status'))
    .description("Print each sink connector's and task's state without deploying (exit 1 unless all RUNNING)")
    .action(async (_opts: unknown, command: Command) => {
      const { s, values } = load(command);
      const statuses = await sinkStatuses(s.connectUrl, values);
      for (const [name, status] of await cdcStatuses(s.connectUrl, values)) statuses.set(name, status);
      reportStatuses(statuses, (line) => console.log(line));
    });

  common(connect.command('replay'))
    .description(
      'Stop the sink connectors, reset their offsets and resume them: every split record is upserted again (the tables must not change)',
    )
    .action(async (_opts: unknown, command: Command) => {
      const { s, values } = load(command);
      await replaySinks(s.connectUrl, values, s.waitSeconds * 1000);
      reportStatuses(await sinkStatuses(s.connectUrl, values), (line) => console.log(line));
    });

  common(connect.command('watch'))
    .description(
      'Keep the sink connectors running: poll their status and restart FAILED tasks with backoff (Connect never does), one log line per outage; runs until SIGINT/SIGTERM',
    )
    .action(async (_opts: unknown, command: Command) => {
      const { s, values } = load(command);
      const log = createLogger('connect-watch');
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      process.once('SIGTERM', () => controller.abort());
      const names = [...renderSinks(values), ...renderCdcConnectors(values)].map((c) => c.name);
      log.info({ connectors: names }, `watching ${names.length} sink connector(s) at ${s.connectUrl}`);
      const state = await watchSinks({ connectUrl: s.connectUrl, names, log, signal: controller.signal });
      log.info({ restarts: state.restarts }, 'watchdog stopped');
    });

  common(connect.command('delete'))
    .description('Delete the sink connectors of a prefix (the tables and topics stay)')
    .action(async (_opts: unknown, command: Command) => {
      const { s, values } = load(command);
      const deleted = [
        ...(await deleteSinks(s.connectUrl, values)),
        ...(await deleteCdc(s.connectUrl, values)),
      ];
      console.log(deleted.length ? `deleted: ${deleted.join(', ')}` : 'nothing to delete');
    });

  addSettingFlags(common(program.command('reconcile')), reconcileSettings, ['timeoutSeconds'])
    .description(
      'Compare finished_orders + failed_orders (read_committed, from the start to the end) with the landed orders and order_items tables by order_id: missing, extra, different total or status, and the order-total and revenue sums; exit 1 on any mismatch',
    )
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const s = loadCommandSettings(reconcileSettings, command);
      const result = await runReconcile({
        ...s,
        timeoutMs: s.timeoutSeconds * 1000,
        log: createLogger('reconcile'),
      });
      if (opts.json) console.log(JSON.stringify(result, null, 2));
      else {
        console.log(
          `read ${result.records} record(s) from Kafka (${result.undecodable} undecodable, skipped)`,
        );
        for (const line of formatReconciliation(result)) console.log(line);
        for (const l of result.sinkLag ?? [])
          console.log(`sink lag ${l.connector}: ${l.lag} record(s) not landed yet`);
      }
      if (!result.ok) {
        const behind = (result.sinkLag ?? []).reduce((n, l) => n + l.lag, 0);
        const lag =
          result.sinkLag === null
            ? ' (sink lag unknown)'
            : behind > 0
              ? ` (the sink connectors are still ${behind} record(s) behind: run reconcile again once they catch up)`
              : ' (the sink connectors are caught up: this is not lag)';
        throw new OrderflowError(
          'ORDERFLOW_RECONCILE_MISMATCH',
          `Kafka and PostgreSQL disagree in schema ${s.warehouseSchema}: ${result.differences.join('; ')}${lag}`,
        );
      }
    });
}
