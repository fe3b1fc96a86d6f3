import { hostname } from 'node:os';
import { z } from 'zod';
import { positiveInt, setting } from '../common/config.ts';
import { connectionSettings } from '../common/settings.ts';

/** Settings of the splitter service (`orderflow split`). */
export const splitterSettings = {
  kafkaBootstrap: connectionSettings.kafkaBootstrap,
  registryUrl: connectionSettings.registryUrl,
  topicPrefix: connectionSettings.topicPrefix,
  instanceId: setting(
    'ORDERFLOW_SPLITTER_INSTANCE',
    z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-"'),
    hostname().replace(/[^A-Za-z0-9._-]/g, '-') || 'splitter',
    'Name of this splitter instance, unique among running instances and stable across its restarts (it is part of the transactional id).',
  ),
  batchSize: setting(
    'ORDERFLOW_SPLITTER_BATCH_SIZE',
    positiveInt,
    1000,
    'Most records per consumed batch (one Kafka transaction per batch).',
  ),
};
