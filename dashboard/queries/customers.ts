import type { Db } from '../warehouse-reader.ts';
import type { DayWindow, RangeWindow } from '../range.ts';
import { manilaDays, n0, num, provinceIs, ratio } from './sql.ts';
import { tilesOf } from './tile.ts';

/**
 * Tab "customers", over the customers who placed an order in the range (and province): repeat rate
 * = customers with 2+ orders in the range / customers; revenue shares of repeat and top-10 customers;
 * new customers = first order ever placed in the range (by true customer identity).
 */
const PER_CUSTOMER = `
  per_customer as (
    select customer_id,
           count(*) as orders,
           coalesce(sum(order_total) filter (where is_delivered), 0) as revenue
      from fact_orders
     where customer_id is not null and ${manilaDays('order_date', 1, 2)} and ${provinceIs('provincial_code', 3)}
     group by customer_id
  ),
  firsts as (
    select customer_id, min(order_date) as first_at
      from fact_orders
     where customer_id in (select customer_id from per_customer)
     group by customer_id
  )`;

interface SummaryRow {
  customers: string;
  repeat_customers: string;
  revenue: string;
  repeat_revenue: string;
  top10_revenue: string;
  new_customers: string;
}

async function summary(db: Db, window: DayWindow, province: string | null) {
  const [r] = await db.rows<SummaryRow>(
    `with ${PER_CUSTOMER}
     select count(*) as customers,
            count(*) filter (where p.orders >= 2) as repeat_customers,
            coalesce(sum(p.revenue), 0) as revenue,
            coalesce(sum(p.revenue) filter (where p.orders >= 2), 0) as repeat_revenue,
            (select coalesce(sum(revenue), 0)
               from (select revenue from per_customer order by revenue desc, customer_id limit 10) t) as top10_revenue,
            count(*) filter (where f.first_at >= ($1::date)::timestamp at time zone 'Asia/Manila') as new_customers
       from per_customer p
       join firsts f on f.customer_id = p.customer_id`,
    [window.from, window.to, province],
  );
  const customers = n0(r?.customers);
  const revenue = n0(r?.revenue);
  return {
    customers,
    repeatCustomers: n0(r?.repeat_customers),
    repeatRate: ratio(n0(r?.repeat_customers), customers),
    newCustomers: n0(r?.new_customers),
    revenue,
    repeatRevenueShare: revenue === 0 ? null : ratio(n0(r?.repeat_revenue), revenue),
    top10RevenueShare: revenue === 0 ? null : ratio(n0(r?.top10_revenue), revenue),
  };
}

export async function customersTab(db: Db, range: RangeWindow, province: string | null) {
  const now = await summary(db, range, province);
  const before = range.previous ? await summary(db, range.previous, province) : null;
  const params = [range.from, range.to, province];
  const newPerMonth = await db.rows<{ month: string; new_customers: string; repeat: string }>(
    `with ${PER_CUSTOMER}
     select to_char(date_trunc('month', f.first_at at time zone 'Asia/Manila'), 'YYYY-MM-DD') as month,
            count(*) as new_customers,
            count(*) filter (where p.orders >= 2) as repeat
       from per_customer p
       join firsts f on f.customer_id = p.customer_id
      where f.first_at >= ($1::date)::timestamp at time zone 'Asia/Manila'
      group by 1 order by 1`,
    params,
  );
  const top = await db.rows<{
    customer_id: string;
    customer_name: string | null;
    provincial_code: string | null;
    orders: string;
    revenue: string;
  }>(
    `with ${PER_CUSTOMER}
     select p.customer_id, c.customer_name, c.provincial_code, p.orders, p.revenue
       from per_customer p
       left join customers c on c.customer_id = p.customer_id
      order by p.revenue desc, p.orders desc, p.customer_id
      limit 10`,
    params,
  );
  return {
    tiles: tilesOf(
      ['customers', 'newCustomers', 'repeatRate', 'repeatRevenueShare', 'top10RevenueShare'],
      now,
      before,
    ),
    repeatCustomers: now.repeatCustomers,
    revenue: now.revenue,
    newPerMonth: newPerMonth.map((m) => ({
      month: m.month,
      newCustomers: n0(m.new_customers),
      becameRepeat: n0(m.repeat),
    })),
    topCustomers: top.map((t) => ({
      customerId: t.customer_id,
      name: t.customer_name,
      province: t.provincial_code,
      orders: n0(t.orders),
      revenue: num(t.revenue) ?? 0,
    })),
  };
}
