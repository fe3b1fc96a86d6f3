import { z } from 'zod';
import { setting } from '../common/config.ts';
import { connectionSettings } from '../common/settings.ts';
import { SCHEMA_NAME } from './migration-plan.ts';

/** Settings of the warehouse commands. */
export const warehouseSettings = {
  databaseUrl: connectionSettings.databaseUrl,
  schema: setting(
    'ORDERFLOW_WAREHOUSE_SCHEMA',
    z.string().regex(SCHEMA_NAME, 'lower-case letters, digits and "_", starting with a letter or "_"'),
    'public',
    'PostgreSQL schema holding the landing tables and the warehouse (one per pipeline or test run).',
    { flag: '--schema <name>' },
  ),
};
