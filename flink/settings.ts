import { connectionSettings } from '../common/settings.ts';
import { stackSettings } from '../stack/settings.ts';

/** Settings of `orderflow sql` (and of `orderflow flink split`). */
export const sqlSettings = {
  kafkaBootstrap: connectionSettings.kafkaBootstrap,
  registryUrl: connectionSettings.registryUrl,
  topicPrefix: connectionSettings.topicPrefix,
  flinkRestPort: stackSettings.flinkRestPort,
  flinkGatewayPort: stackSettings.flinkGatewayPort,
};
