/**
 * Environment settings of the generator process (the model parameters are in config.ts).
 * librdkafka producer properties pass through under their own names as ORDERFLOW_KAFKA_*
 * (e.g. ORDERFLOW_KAFKA_LINGER_MS=50 sets linger.ms), overriding the defaults in kafka-sink.ts.
 */
import { nonNegativeInt, positiveInt, setting } from '../common/config.ts';
import { connectionSettings, sharedSettings } from '../common/settings.ts';
import { stackSettings } from '../stack/settings.ts';

export const generatorSettings = {
  kafkaBootstrap: connectionSettings.kafkaBootstrap,
  registryUrl: connectionSettings.registryUrl,
  topicPrefix: connectionSettings.topicPrefix,
  seed: sharedSettings.seed,
  /** Where the generator's lock file lives ($ORDERFLOW_HOME/run). */
  home: stackSettings.home,
  retryBudgetMs: setting(
    'ORDERFLOW_GENERATOR_RETRY_BUDGET_MS',
    nonNegativeInt,
    60_000,
    'How long (ms) to keep retrying an unreachable broker or registry at start-up before giving up.',
  ),
  maxInFlight: setting(
    'ORDERFLOW_GENERATOR_MAX_IN_FLIGHT',
    positiveInt,
    32,
    'Most send calls awaiting their delivery reports at once (bounds memory; each holds one batch).',
  ),
  batchSize: setting(
    'ORDERFLOW_GENERATOR_BATCH_SIZE',
    positiveInt,
    500,
    'Orders handed to the Kafka client per send call; one transaction holds up to ten of them (at most ORDERFLOW_GENERATOR_MAX_IN_FLIGHT).',
    { flag: '--batch-size <n>' },
  ),
};
