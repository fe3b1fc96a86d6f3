/**
 * Change data capture from the shop database: the Debezium PostgreSQL source connector
 * (connect/sources/shop.json) and the JDBC sink that lands its topics in the warehouse
 * (connect/cdc-sinks/shop.json), filled from settings like the split sinks. Pure apart from reading
 * the files.
 */
import { fileURLToPath } from 'node:url';
import type { ConnectorConfig } from '../common/connect-client.ts';
import { shopDatabaseName, shopSlotName } from '../common/shop-database.ts';
import { placeholders, renderSink, sinkFiles, type SinkValues } from './sink-config.ts';

export const SOURCES_DIR = fileURLToPath(new URL('./sources/', import.meta.url));
export const CDC_SINKS_DIR = fileURLToPath(new URL('./cdc-sinks/', import.meta.url));

export interface CdcValues extends SinkValues {
  /** The shop database as orderflow reaches it (and, on the local stack, as the Connect worker does). */
  shopDatabaseUrl: string;
}

export function cdcPlaceholders(v: CdcValues): Record<string, string> {
  const shop = new URL(v.shopDatabaseUrl);
  return {
    ...placeholders(v),
    SHOP_DB_HOST: shop.hostname,
    SHOP_DB_PORT: shop.port || '5432',
    SHOP_DB_USER: decodeURIComponent(shop.username),
    SHOP_DB_PASSWORD: decodeURIComponent(shop.password),
    SHOP_DB_NAME: shopDatabaseName(v.shopDatabaseUrl),
    SHOP_SLOT: shopSlotName(v.shopDatabaseUrl),
  };
}

/** The source connector(s) first, then the sinks that land their topics. */
export function renderCdcConnectors(v: CdcValues): ConnectorConfig[] {
  const values = cdcPlaceholders(v);
  return [
    ...sinkFiles(SOURCES_DIR).map((f) => renderSink(f, values, SOURCES_DIR)),
    ...sinkFiles(CDC_SINKS_DIR).map((f) => renderSink(f, values, CDC_SINKS_DIR)),
  ];
}
