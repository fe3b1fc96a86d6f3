import { connectionSettings, warehouseSchemaSetting } from '../common/settings.ts';

/** Settings of the warehouse commands. */
export const warehouseSettings = {
  databaseUrl: connectionSettings.databaseUrl,
  schema: warehouseSchemaSetting,
};
