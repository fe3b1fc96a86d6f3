import { randomBytes } from 'node:crypto';
import { loadSettings } from '../../../common/config.ts';
import { resetShop } from '../../../common/shop-database.ts';
import type { CdcValues } from '../../../connect/cdc-config.ts';
import { shopSettings } from '../../../shop/settings.ts';
import { localSinkValues } from '../helpers.ts';

/** A shop database URL no other test uses (same server as ORDERFLOW_SHOP_DATABASE_URL). */
export function freshShopUrl(label: string): string {
  const u = new URL(loadSettings(shopSettings).shopDatabaseUrl);
  u.pathname = `/shop_${label}_${randomBytes(4).toString('hex')}`;
  return u.toString();
}

export async function dropShop(url: string): Promise<void> {
  await resetShop(url);
}

/** The CDC connectors' values on the local stack for one test's prefix, warehouse schema and shop. */
export function localCdcValues(
  topicPrefix: string,
  warehouseSchema: string,
  shopDatabaseUrl: string,
): CdcValues {
  return { ...localSinkValues(topicPrefix, warehouseSchema), shopDatabaseUrl };
}
