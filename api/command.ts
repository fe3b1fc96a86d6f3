import type { Command } from 'commander';
import { OrderflowError, describeError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { addSettingFlags, loadCommandSettings } from '../common/setting-flags.ts';
import { Shutdown } from '../common/shutdown.ts';
import { startApi } from './service.ts';
import { apiSettings } from './settings.ts';

export function register(program: Command): void {
  const api = program
    .command('api')
    .description(
      'Serve the order API: POST /v1/orders places an order into unpaid_orders (idempotent on the Idempotency-Key header), GET /v1/orders/:id?wait=N follows its state through the stages; runs until SIGTERM',
    );
  addSettingFlags(api, apiSettings, ['port', 'host', 'topicPrefix', 'seed'])
    .addHelpText(
      'after',
      `
Example:
  curl -X POST http://127.0.0.1:8085/v1/orders -H 'Idempotency-Key: 3f0c9a52-order-1' \\
    -d '{"customer_info":{"customer_id":"C-1001","customer_name":"Maria Santos","email":"maria@example.ph",
         "street_address":"12 Rizal St","lgu":"Cebu","contact_number":"+63 917 555 0101"},
         "item_info":[{"sku":4,"quantity":2}]}'
  curl 'http://127.0.0.1:8085/v1/orders/<order_id>?wait=30'

The stages (orderflow process payment|shipping|delivery) move the order on; \`orderflow run\` starts them and the API.`,
    )
    .action(async (_opts: unknown, command: Command) => {
      const s = loadCommandSettings(apiSettings, command);
      const log = createLogger('api');
      const shutdown = new Shutdown(log, 10_000).install();
      let running;
      try {
        running = await startApi({
          ...s,
          log,
          onFatal: (error) => {
            log.error({ err: describeError(error) }, 'order API stops');
            void shutdown.run(1);
          },
        });
      } catch (error) {
        if (/EADDRINUSE|EACCES/.test(describeError(error)))
          throw new OrderflowError(
            'ORDERFLOW_CONFIG_INVALID',
            `the order API cannot listen on ${s.host}:${s.port}: ${describeError(error)} (choose another with --port or ORDERFLOW_API_PORT)`,
            { cause: error },
          );
        throw error;
      }
      shutdown.add('order API', () => running.stop());
      console.log(`order API: ${running.url}/v1/orders`);
      await shutdown.whenStopping();
    });
}
