import { connectionSettings, sharedSettings, shopDatabaseSetting } from '../common/settings.ts';

/** Settings of `orderflow stock`. */
export const stockSettings = {
  kafkaBootstrap: connectionSettings.kafkaBootstrap,
  registryUrl: connectionSettings.registryUrl,
  shopDatabaseUrl: shopDatabaseSetting,
  topicPrefix: connectionSettings.topicPrefix,
  batchSize: sharedSettings.batchSize,
  seed: sharedSettings.seed,
};
