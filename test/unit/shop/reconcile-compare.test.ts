import { describe, expect, it } from 'vitest';
import {
  compareTable,
  describeDifferences,
  isClean,
  type TextRows,
} from '../../../shop/reconcile-compare.ts';
import { renderCdcConnectors } from '../../../connect/cdc-config.ts';
import { APICURIO_CONVERTER } from '../../../connect/settings.ts';
import { shopProducts, shopStock } from '../../../common/shop-seed.ts';
import { SHOP_CDC_TABLES } from '../../../common/shop-database.ts';

const rows = (entries: [string, Record<string, string | null>][]): TextRows => new Map(entries);

describe('shop reconcile comparison', () => {
  it('names missing, extra and different rows, column by column', () => {
    const shop = rows([
      ['sku=1', { sku: '1', price: '78.00', cost: '56.16' }],
      ['sku=2', { sku: '2', price: '189.00', cost: '130.41' }],
    ]);
    const landed = rows([
      ['sku=1', { sku: '1', price: '79.00', cost: '56.16' }],
      ['sku=9', { sku: '9', price: '1.00', cost: '1.00' }],
    ]);
    const d = compareTable('products', ['price', 'cost'], shop, landed);
    expect(isClean(d)).toBe(false);
    expect(describeDifferences(d)).toEqual([
      'products sku=2: in the shop database, not landed in the warehouse',
      'products sku=9: landed in the warehouse, not in the shop database',
      'products sku=1: price is 78.00 in the shop, 79.00 landed',
    ]);
    expect(isClean(compareTable('products', ['price', 'cost'], shop, shop))).toBe(true);
  });

  it('treats null and a value as different', () => {
    const d = compareTable(
      'restocks',
      ['received_at'],
      rows([['restock_id=a', { received_at: null }]]),
      rows([['restock_id=a', { received_at: '2026-01-01 00:00:00+00' }]]),
    );
    expect(describeDifferences(d)).toEqual([
      'restocks restock_id=a: received_at is null in the shop, 2026-01-01 00:00:00+00 landed',
    ]);
  });
});

describe('shop seed and CDC connectors', () => {
  it('seeds every product with a positive restock rule, lead times drawn from the seed', () => {
    const a = shopProducts(1);
    expect(a).toHaveLength(55);
    for (const p of a) {
      expect(p.reorder_quantity).toBeGreaterThan(0);
      expect(p.lead_time_days).toBeGreaterThanOrEqual(3);
      expect(p.lead_time_days).toBeLessThanOrEqual(10);
    }
    expect(shopProducts(1)).toEqual(a);
    expect(shopProducts(2).map((p) => p.lead_time_days)).not.toEqual(a.map((p) => p.lead_time_days));
    for (const s of shopStock(1)) expect(s.on_hand).toBeGreaterThan(0);
  });

  it('renders the source and its landing sink from the shop database URL', () => {
    const [source, sink] = renderCdcConnectors({
      topicPrefix: 'p_',
      warehouseSchema: 'wh',
      replicationFactor: 1,
      valueConverter: APICURIO_CONVERTER,
      registryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7',
      converterRegistryUrl: '',
      databaseUrl: 'postgres://orderflow@127.0.0.1:5544/orderflow',
      jdbcUrl: '',
      jdbcUser: '',
      jdbcPassword: '',
      shopDatabaseUrl: 'postgres://shopper:s%40cret@db.local:6543/shop_x',
    });
    expect(source!.name).toBe('p_orderflow-source-shop');
    expect(source!.config).toMatchObject({
      'database.hostname': 'db.local',
      'database.port': '6543',
      'database.user': 'shopper',
      'database.password': 's@cret',
      'database.dbname': 'shop_x',
      'slot.name': 'orderflow_shop_x',
      'topic.prefix': 'p_cdc',
      'plugin.name': 'pgoutput',
      'value.converter.apicurio.registry.url': 'http://127.0.0.1:8081/apis/registry/v2',
    });
    expect(sink!.name).toBe('p_orderflow-sink-shop');
    expect(sink!.config['topics']).toBe(
      'p_cdc.shop.products,p_cdc.shop.locations,p_cdc.shop.stock,p_cdc.shop.restocks,p_cdc.shop.stock_movements,p_cdc.shop.price_changes',
    );
    // Every table reconcile compares is streamed by the source and landed by the sink.
    for (const table of Object.keys(SHOP_CDC_TABLES)) {
      expect(source!.config['table.include.list']!.split(',')).toContain(`shop.${table}`);
      expect(sink!.config['topics']!.split(',')).toContain(`p_cdc.shop.${table}`);
    }
    expect(sink!.config['collection.name.format']).toBe('wh.${topic}');
  });
});
