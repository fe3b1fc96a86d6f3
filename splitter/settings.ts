import { connectionSettings, HOST_NAME, sharedSettings } from '../common/settings.ts';

/** Settings of the splitter service (`orderflow split`). */
export const splitterSettings = {
  kafkaBootstrap: connectionSettings.kafkaBootstrap,
  registryUrl: connectionSettings.registryUrl,
  topicPrefix: connectionSettings.topicPrefix,
  // One splitter per machine by default, under a name that survives its restarts.
  instanceId: { ...sharedSettings.instanceId, default: HOST_NAME },
  batchSize: sharedSettings.batchSize,
};
