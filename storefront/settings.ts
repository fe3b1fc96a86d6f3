import { connectionSettings, HOST_NAME, httpSettings, sharedSettings } from '../common/settings.ts';

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
  ...httpSettings(STOREFRONT_PORT),
};
