import {
  connectionSettings,
  sharedSettings,
  shopDatabaseSetting,
  warehouseSchemaSetting,
} from '../common/settings.ts';

/** Settings of `orderflow shop` (migrate, reset, reconcile). */
export const shopSettings = {
  shopDatabaseUrl: shopDatabaseSetting,
  databaseUrl: connectionSettings.databaseUrl,
  warehouseSchema: warehouseSchemaSetting,
  connectUrl: connectionSettings.connectUrl,
  topicPrefix: connectionSettings.topicPrefix,
  seed: sharedSettings.seed,
};
