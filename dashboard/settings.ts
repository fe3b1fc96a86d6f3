import { z } from 'zod';
import { boolFlag, port, setting } from '../common/config.ts';
import { connectionSettings, warehouseSchemaSetting } from '../common/settings.ts';
import { stackSettings } from '../stack/settings.ts';

/** A comma-separated list (spaces around items and empty items dropped), each item checked by `item`. */
const commaList = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== ''),
    )
    .pipe(z.array(item));

const urlList = commaList(z.url());

/** Consumer group names, each optionally ending in `*` (every group with that prefix). */
const groupList = commaList(
  z.string().regex(/^[\w.-]+\*?$/, 'a consumer group name, optionally ending in *'),
);

/** Settings of `orderflow dashboard`; flags override the variables. */
export const dashboardSettings = {
  port: setting('ORDERFLOW_DASHBOARD_PORT', port, 8088, 'Port of the dashboard (HTTP).', {
    flag: '--port <port>',
  }),
  host: setting(
    'ORDERFLOW_DASHBOARD_HOST',
    z.string().min(1),
    '127.0.0.1',
    'Address the dashboard binds to (127.0.0.1 = this machine only).',
    { flag: '--host <address>' },
  ),
  databaseUrl: connectionSettings.databaseUrl,
  schema: warehouseSchemaSetting,
  kafkaBootstrap: connectionSettings.kafkaBootstrap,
  registryUrl: connectionSettings.registryUrl,
  connectUrl: connectionSettings.connectUrl,
  topicPrefix: connectionSettings.topicPrefix,
  flinkRestPort: stackSettings.flinkRestPort,
  flinkGatewayPort: stackSettings.flinkGatewayPort,
  processorUrls: setting(
    'ORDERFLOW_DASHBOARD_PROCESSOR_URLS',
    urlList as unknown as z.ZodType<string[]>,
    ['http://127.0.0.1:9301', 'http://127.0.0.1:9302', 'http://127.0.0.1:9303'],
    "Comma-separated base URLs of the processors' HTTP servers, read for /metrics by the live tab.",
  ),
  splitGroups: setting(
    'ORDERFLOW_DASHBOARD_SPLIT_GROUPS',
    groupList as unknown as z.ZodType<string[]>,
    [],
    'Comma-separated consumer groups whose lag the live tab shows for the split; a trailing * matches every group with that prefix (ksqlDB numbers its query groups). Default: the splitter service, <topic prefix>orderflow-splitter.',
  ),
  allowWrites: setting(
    'ORDERFLOW_DASHBOARD_ALLOW_WRITES',
    boolFlag as unknown as z.ZodType<boolean>,
    false,
    'Allow the Kafka views to write: replay and discard dead letters, restart/pause/resume connectors, produce test orders (off: those calls answer 403).',
    { flag: '--allow-writes' },
  ),
  token: setting(
    'ORDERFLOW_DASHBOARD_TOKEN',
    z.string().min(16, 'at least 16 characters'),
    '',
    'Token that write calls must send (header x-orderflow-token) when the dashboard binds beyond 127.0.0.1/::1; required then for writes to be allowed.',
  ),
};
