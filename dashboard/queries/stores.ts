import type { DayWindow, RangeWindow } from '../range.ts';
import type { Db } from '../warehouse-reader.ts';
import { cents, n0, pesos, rangeRows, ratio } from './sql.ts';
import { tilesOf } from './tile.ts';

/**
 * Tab "stores": the till sales of the shop's physical stores beside the online channel, and the VAT
 * the sales include, from the metric layer of migration 023: the stores ranked by sales (every store
 * of dim_store, with none too), sales by channel per day, the tenders used at the till, and VAT per
 * month by channel (taxable against exempt or zero-rated sales). Sales are delivered sales,
 * VAT-inclusive (as revenue elsewhere); days and months are Asia/Manila ones.
 */

interface ChannelSums {
  store_orders: string | null;
  store_sales: string | null;
  online_sales: string | null;
  sales: string | null;
  vat: string | null;
  store_vat: string | null;
}

/** The range's totals per channel (metric_channel_daily: every landed order). */
async function channelSums(db: Db, window: DayWindow): Promise<ChannelSums> {
  const [row] = await db.rows<ChannelSums>(
    `select sum(delivered_orders) filter (where channel = 'store') as store_orders,
            sum(sales) filter (where channel = 'store') as store_sales,
            sum(sales) filter (where channel = 'online') as online_sales,
            sum(sales) as sales, sum(vat) as vat, sum(vat) filter (where channel = 'store') as store_vat
       from metric_channel_daily where day between $1::date and $2::date`,
    [window.from, window.to],
  );
  return row!;
}

const TILE_KEYS = [
  'storeSales',
  'storeOrders',
  'storeShare',
  'storeBasket',
  'vat',
  'vatShare',
  'storesSelling',
] as const;

function tileValues(s: ChannelSums, storesSelling: number) {
  const storeSales = cents(s.store_sales);
  const storeOrders = n0(s.store_orders);
  const sales = cents(s.sales);
  return {
    storeSales: pesos(storeSales),
    storeOrders,
    storeShare: ratio(storeSales, sales),
    storeBasket: storeOrders === 0 ? null : Math.round(storeSales / storeOrders) / 100,
    vat: pesos(cents(s.vat)),
    vatShare: ratio(cents(s.vat), sales),
    storesSelling,
  };
}

async function storesSelling(db: Db, window: DayWindow): Promise<number> {
  const [row] = await db.rows<{ n: string }>(
    `select count(distinct store_id) as n from metric_store_sales where day between $1::date and $2::date`,
    [window.from, window.to],
  );
  return n0(row?.n);
}

export async function storesTab(db: Db, range: RangeWindow) {
  const inRange = rangeRows(db, range);
  const now = await channelSums(db, range);
  const before = range.previous ? await channelSums(db, range.previous) : null;
  const selling = await storesSelling(db, range);
  const sellingBefore = range.previous ? await storesSelling(db, range.previous) : 0;

  const ranking = await inRange<{
    store_id: string;
    store_name: string | null;
    province_name: string | null;
    opens_hour: number | null;
    closes_hour: number | null;
    orders: string | null;
    units: string | null;
    sales: string | null;
    vat: string | null;
  }>(
    `with sold as (
       select store_id, sum(orders) as orders, sum(units) as units, sum(sales) as sales, sum(vat) as vat
         from metric_store_sales where day between $1::date and $2::date group by store_id
     )
     select coalesce(s.store_id, d.store_id) as store_id, s.store_name, s.province_name, s.opens_hour, s.closes_hour,
            d.orders, d.units, d.sales, d.vat
       from dim_store s full join sold d on d.store_id = s.store_id
      order by coalesce(d.sales, 0) desc, coalesce(s.store_id, d.store_id)`,
  );
  const days = await inRange<{
    day: string;
    online_orders: string | null;
    store_orders: string | null;
    online_sales: string | null;
    store_sales: string | null;
  }>(
    `select to_char(d.day, 'YYYY-MM-DD') as day,
            sum(c.delivered_orders) filter (where c.channel = 'online') as online_orders,
            sum(c.delivered_orders) filter (where c.channel = 'store') as store_orders,
            sum(c.sales) filter (where c.channel = 'online') as online_sales,
            sum(c.sales) filter (where c.channel = 'store') as store_sales
       from generate_series($1::date, $2::date, interval '1 day') as d (day)
       left join metric_channel_daily c on c.day = d.day::date
      group by d.day order by d.day`,
  );
  const tenders = await inRange<{ tender: string | null; orders: string; sales: string }>(
    `select tender, sum(orders) as orders, sum(sales) as sales
       from metric_store_sales where day between $1::date and $2::date
      group by tender order by sum(sales) desc, tender`,
  );
  // Whole months: every month the range touches.
  const months = await inRange<{
    month: string;
    channel: string;
    sales: string;
    taxable_sales: string;
    exempt_sales: string;
    unrecorded_sales: string;
    vat: string;
  }>(
    `select to_char(month, 'YYYY-MM-DD') as month, channel, sales, taxable_sales, exempt_sales,
            unrecorded_sales, vat
       from metric_vat_monthly
      where month between date_trunc('month', $1::date)::date and $2::date
      order by month, channel`,
  );

  const storeSalesCents = cents(now.store_sales);
  const tenderOrders = tenders.reduce((a, t) => a + n0(t.orders), 0);
  const byMonth = new Map<string, (typeof months)[number][]>();
  for (const m of months) byMonth.set(m.month, [...(byMonth.get(m.month) ?? []), m]);
  return {
    tiles: tilesOf(TILE_KEYS, tileValues(now, selling), before ? tileValues(before, sellingBefore) : null),
    totals: {
      storeSales: pesos(storeSalesCents),
      onlineSales: pesos(cents(now.online_sales)),
      vat: pesos(cents(now.vat)),
      storeVat: pesos(cents(now.store_vat)),
    },
    stores: ranking.map((s, i) => ({
      rank: i + 1,
      storeId: s.store_id,
      name: s.store_name ?? s.store_id,
      province: s.province_name,
      hours: s.opens_hour === null ? null : `${s.opens_hour}:00–${s.closes_hour}:00`,
      orders: n0(s.orders),
      units: n0(s.units),
      sales: pesos(cents(s.sales)),
      vat: pesos(cents(s.vat)),
      share: ratio(cents(s.sales), storeSalesCents),
      basket: n0(s.orders) === 0 ? null : Math.round(cents(s.sales) / n0(s.orders)) / 100,
    })),
    days: days.map((d) => ({
      day: d.day,
      onlineOrders: n0(d.online_orders),
      storeOrders: n0(d.store_orders),
      onlineSales: pesos(cents(d.online_sales)),
      storeSales: pesos(cents(d.store_sales)),
    })),
    tenders: tenders.map((t) => ({
      tender: t.tender ?? 'unknown',
      orders: n0(t.orders),
      sales: pesos(cents(t.sales)),
      share: ratio(n0(t.orders), tenderOrders),
    })),
    vatMonths: [...byMonth.entries()].map(([month, rows]) => {
      const of = (channel: string) => rows.find((r) => r.channel === channel);
      const sum = (k: 'sales' | 'taxable_sales' | 'exempt_sales' | 'unrecorded_sales' | 'vat') =>
        pesos(rows.reduce((a, r) => a + cents(r[k]), 0));
      return {
        month,
        sales: sum('sales'),
        taxableSales: sum('taxable_sales'),
        exemptSales: sum('exempt_sales'),
        unrecordedSales: sum('unrecorded_sales'),
        vat: sum('vat'),
        onlineVat: pesos(cents(of('online')?.vat)),
        storeVat: pesos(cents(of('store')?.vat)),
      };
    }),
  };
}
