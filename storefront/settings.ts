import { z } from 'zod';
import { integerIn, setting } from '../common/config.ts';
import { connectionSettings, HOST_NAME, sharedSettings } from '../common/settings.ts';

/** Default HTTP port of the storefront service (/health, /ready, /metrics), after the stages' 9301-9303. */
export const STOREFRONT_PORT = 9304;

/** Settings of the storefront service (`orderflow storefront`); flags override the variables. */
export const storefrontSettings = {
  kafkaBootstrap: connectionSettings.kafkaBootstrap,
  registryUrl: connectionSettings.registryUrl,
  topicPrefix: connectionSettings.topicPrefix,
  seed: sharedSettings.seed,
  // One instance per machine by default, under a name that survives its restarts (it is the
  // transactional id's suffix, so a restart fences its predecessor).
  instanceId: { ...sharedSettings.instanceId, default: HOST_NAME },
  batchSize: sharedSettings.batchSize,
  port: setting(
    'ORDERFLOW_HTTP_PORT',
    integerIn(0, 65535),
    STOREFRONT_PORT,
    'Port of /health, /ready and /metrics (0 = any free port).',
    { flag: '--port <port>' },
  ),
  host: setting(
    'ORDERFLOW_HTTP_HOST',
    z.string().min(1),
    '127.0.0.1',
    'Address the HTTP server binds (0.0.0.0 in a container, so other services can reach it).',
    { flag: '--host <address>' },
  ),
};
