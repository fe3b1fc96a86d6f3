import { z } from 'zod';
import { port, setting } from '../common/config.ts';
import { connectionSettings, sharedSettings } from '../common/settings.ts';

/** Settings of the order API (`orderflow api`); flags override the variables. */
export const apiSettings = {
  port: setting(
    'ORDERFLOW_API_PORT',
    port,
    8085,
    'Port of the order API (HTTP: POST /v1/orders, GET /v1/orders/:id).',
    {
      flag: '--port <port>',
    },
  ),
  host: setting(
    'ORDERFLOW_API_HOST',
    z.string().min(1),
    '127.0.0.1',
    'Address the order API binds to (127.0.0.1 = this machine only; the API has no authentication).',
    { flag: '--host <address>' },
  ),
  kafkaBootstrap: connectionSettings.kafkaBootstrap,
  registryUrl: connectionSettings.registryUrl,
  topicPrefix: connectionSettings.topicPrefix,
  /** The price schedule's seed (reference/price-schedule.ts): API orders pay the price in force. */
  seed: sharedSettings.seed,
};
