import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadSettings } from '../../../common/config.ts';
import { resetShop } from '../../../common/shop-database.ts';
import type { CdcValues } from '../../../connect/cdc-config.ts';
import { reconcileShop } from '../../../shop/reconcile.ts';
import { isClean, type TableDifference } from '../../../shop/reconcile-compare.ts';
import { shopSettings } from '../../../shop/settings.ts';
import { conn, localSinkValues } from '../helpers.ts';

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

/**
 * Reconcile a shop database against a warehouse schema every `pollMs` until every table is clean or
 * `timeoutMs` has passed; the last differences. A reconcile that fails (the database still starting)
 * is tried again, and its error thrown if it still fails when the time is up.
 */
export async function reconcileUntilClean(
  shopUrl: string,
  warehouseSchema: string,
  timeoutMs: number,
  pollMs = 500,
): Promise<TableDifference[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await reconcileShop({
      shopDatabaseUrl: shopUrl,
      databaseUrl: conn.databaseUrl,
      warehouseSchema,
    }).catch((error: unknown) => {
      if (Date.now() > deadline) throw error;
      return undefined;
    });
    if (r && (r.every(isClean) || Date.now() > deadline)) return r;
    await sleep(pollMs);
  }
}
