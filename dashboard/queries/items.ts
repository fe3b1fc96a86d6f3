import type { Db } from '../warehouse-reader.ts';
import type { RangeWindow } from '../range.ts';
import { manilaDays, n0, num, product, provinceIs } from './sql.ts';

/**
 * Tab "items": revenue, COGS and profit per SKU (delivered lines), top sellers by units, and
 * market-basket pairs over every order placed in the range (a basket says what was bought
 * together, whatever became of the delivery): support = P(A and B), confidence A->B = P(B | A),
 * lift = support / (P(A) x P(B)). Pairs seen in fewer than `minTogether` orders are left out.
 * Names and categories are the products' versions in force now (dim_product, from the shop's
 * change stream), the order lines' own where a SKU has none.
 */
export async function itemsTab(db: Db, range: RangeWindow, province: string | null, minTogether = 2) {
  const params = [range.from, range.to, province];
  const skus = await db.rows<{
    sku: number;
    product_name: string | null;
    category: string | null;
    units: string;
    orders: string;
    revenue: string;
    cogs: string;
    profit: string;
    margin_percent: string | null;
  }>(
    `with sold as (
       select sku, min(product_name) as line_name, min(category) as line_category,
              count(distinct order_id) as orders, sum(quantity) as units,
              sum(subtotal) as revenue, sum(line_cost) as cogs
         from fact_order_items
        where is_delivered and ${manilaDays('order_date', 1, 2)} and ${provinceIs('provincial_code', 3)}
        group by sku)
     select s.sku, coalesce(p.product_name, s.line_name) as product_name,
            coalesce(p.category, s.line_category) as category,
            s.units, s.orders, s.revenue, coalesce(s.cogs, 0) as cogs, s.revenue - coalesce(s.cogs, 0) as profit,
            round((s.revenue - s.cogs) / nullif(s.revenue, 0) * 100, 2) as margin_percent
       from sold s
       left join dim_product p on p.sku = s.sku and p.is_current
      order by s.revenue desc, s.sku`,
    params,
  );
  const pairs = await db.rows<{
    sku_a: number;
    product_a: string | null;
    sku_b: number;
    product_b: string | null;
    orders_together: string;
    support: string;
    confidence_a_to_b: string;
    confidence_b_to_a: string;
    lift: string;
  }>(
    `with baskets as (
       select distinct i.order_id, i.sku
         from order_items i
         join orders o on o.order_id = i.order_id
        where i.sku is not null and ${manilaDays('o.order_date', 1, 2)} and ${provinceIs('o.provincial_code', 3)}
     ), total as (
       select count(distinct order_id)::numeric as orders from baskets
     ), single as (
       select sku, count(*)::numeric as orders from baskets group by sku
     ), pairs as (
       select a.sku as sku_a, b.sku as sku_b, count(*)::numeric as together
         from baskets a join baskets b on b.order_id = a.order_id and a.sku < b.sku
        group by a.sku, b.sku
       having count(*) >= $4
     )
     select p.sku_a, pa.product_name as product_a, p.sku_b, pb.product_name as product_b,
            p.together as orders_together,
            round(p.together / t.orders, 6) as support,
            round(p.together / sa.orders, 4) as confidence_a_to_b,
            round(p.together / sb.orders, 4) as confidence_b_to_a,
            round(p.together * t.orders / (sa.orders * sb.orders), 3) as lift
       from pairs p cross join total t
       join single sa on sa.sku = p.sku_a
       join single sb on sb.sku = p.sku_b
       left join dim_product pa on pa.sku = p.sku_a and pa.is_current
       left join dim_product pb on pb.sku = p.sku_b and pb.is_current
      order by p.together desc, lift desc, p.sku_a, p.sku_b
      limit 20`,
    [...params, minTogether],
  );
  const perSku = skus.map((s) => ({
    ...product(s),
    units: n0(s.units),
    orders: n0(s.orders),
    revenue: n0(s.revenue),
    cogs: n0(s.cogs),
    profit: n0(s.profit),
    marginPercent: num(s.margin_percent),
  }));
  return {
    totals: {
      skusSold: perSku.length,
      units: perSku.reduce((a, s) => a + s.units, 0),
      revenue: Math.round(perSku.reduce((a, s) => a + s.revenue * 100, 0)) / 100,
      profit: Math.round(perSku.reduce((a, s) => a + s.profit * 100, 0)) / 100,
    },
    perSku,
    topSellers: [...perSku].sort((a, b) => b.units - a.units || a.sku - b.sku).slice(0, 10),
    pairs: pairs.map((p) => ({
      skuA: p.sku_a,
      productA: p.product_a ?? `SKU ${p.sku_a}`,
      skuB: p.sku_b,
      productB: p.product_b ?? `SKU ${p.sku_b}`,
      ordersTogether: n0(p.orders_together),
      support: n0(p.support),
      confidenceAtoB: n0(p.confidence_a_to_b),
      confidenceBtoA: n0(p.confidence_b_to_a),
      lift: n0(p.lift),
    })),
  };
}
