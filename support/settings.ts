import { z } from 'zod';
import { nonNegativeInt, positiveInt, setting } from '../common/config.ts';
import { ftpSettings } from '../common/ftp-settings.ts';
import { connectionSettings, HOST_NAME, sharedSettings, warehouseSchemaSetting } from '../common/settings.ts';
import { SCHEMA_NAME } from '../common/database.ts';

const rate = z.coerce
  .number({ error: 'a number from 0 to 1' })
  .min(0, { error: 'a number from 0 to 1' })
  .max(1, { error: 'a number from 0 to 1' });

const ftpDir = setting(
  'ORDERFLOW_SUPPORT_FTP_DIR',
  z.string().regex(/^[A-Za-z0-9._/-]+$/, 'a relative path of letters, digits, ".", "_", "-" and "/"'),
  'reports',
  'Directory on the FTP server that holds the daily support reports (the loader moves unparseable ones to its rejected/ folder).',
);

/** Settings of the support desk simulator (`orderflow support simulate`). */
export const supportSettings = {
  kafkaBootstrap: connectionSettings.kafkaBootstrap,
  registryUrl: connectionSettings.registryUrl,
  databaseUrl: connectionSettings.databaseUrl,
  topicPrefix: connectionSettings.topicPrefix,
  partitions: connectionSettings.partitions,
  seed: sharedSettings.seed,
  batchSize: sharedSettings.batchSize,
  instanceId: { ...sharedSettings.instanceId, default: HOST_NAME },
  ...ftpSettings,
  ftpDir,
  deskSchema: setting(
    'ORDERFLOW_SUPPORT_SCHEMA',
    z.string().regex(SCHEMA_NAME, 'lower-case letters, digits and "_", starting with a letter or "_"'),
    'support_desk',
    "PostgreSQL schema of the support desk's own database (its tickets, the Kafka offsets they came from, the reports it uploaded).",
  ),
  inquiryRate: setting(
    'ORDERFLOW_SUPPORT_INQUIRY_RATE',
    rate,
    0.04,
    "Base rate of general inquiries: the chance that an order's customer opens one within 10 days of ordering.",
  ),
  duplicateRate: setting(
    'ORDERFLOW_SUPPORT_DIRT_DUPLICATE_RATE',
    rate,
    0.03,
    'Report dirt: the chance that a row is written twice.',
  ),
  staleStatusRate: setting(
    'ORDERFLOW_SUPPORT_DIRT_STATUS_RATE',
    rate,
    0.05,
    'Report dirt: the chance that a resolved row is marked Pending while carrying its resolution date.',
  ),
  reportDelayHours: setting(
    'ORDERFLOW_SUPPORT_REPORT_DELAY_HOURS',
    nonNegativeInt,
    408,
    "How far (simulated hours) every input partition's event time must be past a day's midnight before that day's report is written: an order's events trail its order date by up to ~16 days.",
  ),
  reportIntervalMs: setting(
    'ORDERFLOW_SUPPORT_REPORT_INTERVAL_MS',
    nonNegativeInt,
    5000,
    "Longest real time the desk waits for the loader's receipt of a report (received/<file> on the server) before it uploads the next one, which deletes it; with a loader that keeps up, reports go as fast as it takes them.",
  ),
};

/** Settings of the support report loader (`orderflow support load`). */
export const supportLoadSettings = {
  databaseUrl: connectionSettings.databaseUrl,
  schema: warehouseSchemaSetting,
  ...ftpSettings,
  ftpDir,
  pollMs: setting(
    'ORDERFLOW_SUPPORT_LOAD_POLL_MS',
    positiveInt,
    300,
    'How often (ms) the loader lists the FTP directory for new reports.',
  ),
};
