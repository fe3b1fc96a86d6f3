import type { Db } from '../warehouse-reader.ts';
import type { RangeWindow } from '../range.ts';
import { manilaDays, n0, num, rangeRows, ratio } from './sql.ts';

/**
 * Tab "location": revenue (delivered), orders and customers per province in the range, ranked by
 * revenue. Metro Manila's cities are one province, PH-00.
 */
export async function locationTab(db: Db, range: RangeWindow) {
  const inRange = rangeRows(db, range);
  const rows = await inRange<{
    provincial_code: string;
    province_name: string | null;
    tier: string | null;
    orders: string;
    delivered_orders: string;
    customers: string;
    revenue: string;
  }>(
    `with per_province as (
       select provincial_code,
              count(*) as orders,
              count(*) filter (where is_delivered) as delivered_orders,
              count(distinct customer_id) as customers,
              coalesce(sum(order_total) filter (where is_delivered), 0) as revenue
         from fact_orders
        where provincial_code is not null and ${manilaDays('order_date', 1, 2)}
        group by provincial_code
     ), names as (
       select provincial_code, min(province_name) as province_name, min(tier) as tier
         from dim_location group by provincial_code
     )
     select p.provincial_code, n.province_name, n.tier, p.orders, p.delivered_orders, p.customers, p.revenue
       from per_province p
       left join names n on n.provincial_code = p.provincial_code
      order by p.revenue desc, p.orders desc, p.provincial_code`,
  );
  const total = rows.reduce((a, r) => a + Math.round(n0(r.revenue) * 100), 0);
  return {
    provinces: rows.map((r, i) => ({
      rank: i + 1,
      code: r.provincial_code,
      name: r.province_name ?? r.provincial_code,
      tier: r.tier,
      orders: n0(r.orders),
      deliveredOrders: n0(r.delivered_orders),
      customers: n0(r.customers),
      revenue: num(r.revenue) ?? 0,
      aov: ratio(Math.round(n0(r.revenue) * 100), n0(r.delivered_orders) * 100, 2),
      revenueShare: ratio(Math.round(n0(r.revenue) * 100), total),
    })),
  };
}
