import { randomBytes } from 'node:crypto';
import { loadSettings } from '../../../common/config.ts';
import { resetShop } from '../../../common/shop-database.ts';
import { shopSettings } from '../../../shop/settings.ts';

/** A shop database URL no other test uses (same server as ORDERFLOW_SHOP_DATABASE_URL). */
export function freshShopUrl(label: string): string {
  const u = new URL(loadSettings(shopSettings).shopDatabaseUrl);
  u.pathname = `/shop_${label}_${randomBytes(4).toString('hex')}`;
  return u.toString();
}

export async function dropShop(url: string): Promise<void> {
  await resetShop(url);
}
