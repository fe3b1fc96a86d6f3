/**
 * Data-quality assertions over the landed rows and the warehouse built on them. Each is a query
 * that counts offending rows: zero passes. Pure data (SQL text), run by check.ts.
 */
export interface Assertion {
  name: string;
  description: string;
  /** Returns one row with one column `offending` (a count). */
  sql: string;
}

const dup = (table: string, key: string): Assertion => ({
  name: `${table}.${key} unique`,
  description: `no two ${table} rows share ${key}`,
  sql: `select coalesce(sum(n - 1), 0) as offending from (select count(*) as n from ${table} group by ${key} having count(*) > 1) d`,
});

const notNull = (table: string, columns: string[]): Assertion => ({
  name: `${table} required columns not null`,
  description: `${columns.join(', ')} are set on every ${table} row`,
  sql: `select count(*) as offending from ${table} where ${columns.map((c) => `${c} is null`).join(' or ')}`,
});

const orphan = (name: string, description: string, from: string, where: string): Assertion => ({
  name,
  description,
  sql: `select count(*) as offending from ${from} where ${where}`,
});

const rule = (name: string, description: string, where: string, from = 'orders'): Assertion => ({
  name,
  description,
  sql: `select count(*) as offending from ${from} where ${where}`,
});

export const ASSERTIONS: Assertion[] = [
  // Keys
  dup('orders', 'order_id'),
  dup('customers', 'customer_id'),
  dup('order_items', 'item_id'),
  dup('products', 'sku'),
  notNull('orders', [
    'order_id',
    'order_date',
    'customer_id',
    'lgu',
    'provincial_code',
    'payment_status',
    'shipping_id',
    'express_shipping',
    'order_status',
    'item_variety',
    'order_total',
  ]),
  notNull('customers', [
    'customer_id',
    'customer_name',
    'email',
    'street_address',
    'lgu',
    'as_of',
    'last_order_id',
  ]),
  notNull('order_items', [
    'item_id',
    'order_id',
    'order_date',
    'order_status',
    'sku',
    'unit_price',
    'quantity',
    'discount_percent',
    'subtotal',
  ]),
  rule(
    'order_items.item_id format',
    "item_id = order_id || '-' || sku",
    "item_id <> order_id || '-' || sku",
    'order_items',
  ),

  // References resolve
  orphan(
    'order_items.order_id resolves',
    'every line belongs to a landed order',
    'order_items i',
    'not exists (select 1 from orders o where o.order_id = i.order_id)',
  ),
  orphan(
    'orders have lines',
    'every landed order has at least one landed line',
    'orders o',
    'not exists (select 1 from order_items i where i.order_id = o.order_id)',
  ),
  orphan(
    'orders.customer_id resolves',
    'every order has its customer landed',
    'orders o',
    'not exists (select 1 from customers c where c.customer_id = o.customer_id)',
  ),
  orphan(
    'order_items.sku resolves',
    'every sold SKU is in the products catalogue',
    'order_items i',
    'not exists (select 1 from products p where p.sku = i.sku)',
  ),
  orphan(
    'orders.lgu resolves',
    'every order ships to a known LGU with its province code (skipped while locations is empty)',
    'orders o',
    `exists (select 1 from locations)
     and not exists (select 1 from locations l where l.lgu = o.lgu and l.provincial_code = o.provincial_code)`,
  ),

  // Lifecycle invariants (docs/design.md section 6) on landed rows
  rule(
    'dates in lifecycle order',
    'order_date <= payment_date <= shipped_date <= finished_date (where set)',
    `payment_date < order_date or shipped_date < payment_date or finished_date < shipped_date
     or finished_date < payment_date or finished_date < order_date or (shipped_date is not null and payment_date is null)`,
  ),
  rule(
    'eta after payment',
    'eta > payment_date',
    'eta <= payment_date or (payment_date is not null and eta is null)',
  ),
  rule(
    'subtotal rule',
    'subtotal = round(unit_price x quantity x (1 - discount_percent/100), 2)',
    'subtotal <> round(unit_price * quantity * (1 - discount_percent / 100), 2)',
    'order_items',
  ),
  rule(
    'unit_price = price in force',
    "every order line's unit_price is the price in force at its order time (dim_product, from the shop's price changes; skipped while none have landed)",
    'price_in_force is not null and list_price <> price_in_force',
    'fact_order_items',
  ),
  rule(
    'no line sold below cost in force',
    "no order line's subtotal is below its quantity times the cost in force at its order time (dim_product; a sale discount is capped at that cost; skipped while no price changes have landed)",
    'product_key is not null and subtotal < line_cost',
    'fact_order_items',
  ),
  {
    name: 'dim_product: one current version per product',
    description:
      "every product of dim_product (SCD type 2 on price and cost, from the shop's change stream) has exactly one version in force now, and its versions do not overlap",
    sql: `select count(*) as offending from (
            select sku from dim_product group by sku
            having count(*) filter (where is_current) <> 1
                or count(*) <> count(distinct valid_from)) d`,
  },
  rule(
    'order lines have a product version',
    'every order line falls in a version of its product in dim_product, so it has a cost in force (skipped while no shop product has landed)',
    'product_key is null and exists (select 1 from shop_products)',
    'fact_order_items',
  ),
  rule(
    'order_total = sum(subtotal)',
    "an order's total is the sum of its lines' subtotals",
    'order_total is distinct from (select sum(i.subtotal) from order_items i where i.order_id = orders.order_id)',
  ),
  rule(
    'item_variety = lines',
    'item_variety is the number of landed lines',
    'item_variety <> (select count(*) from order_items i where i.order_id = orders.order_id)',
  ),
  rule(
    'status agrees with dates',
    'Delivered has shipped and finished dates; Timed Out has no payment; Cancelled/Returned are finished; paid orders have a method and a date',
    `order_status not in ('PROCESSING', 'SHIPPED', 'DELIVERED', 'TIMED_OUT', 'CANCELLED', 'RETURNED')
     or (order_status = 'DELIVERED' and (shipped_date is null or finished_date is null or payment_date is null))
     or (order_status = 'TIMED_OUT' and (payment_date is not null or payment_status or finished_date is null))
     or (order_status in ('CANCELLED', 'RETURNED') and (payment_date is null or finished_date is null))
     or (order_status = 'RETURNED' and shipped_date is null)
     or (payment_status is distinct from (payment_date is not null))
     or ((payment_date is null) <> (payment_method is null))`,
  ),
  rule(
    'failed orders carry a failure',
    'Timed Out, Cancelled and Returned orders have failure_stage and failure_reason; others have none',
    `(order_status in ('TIMED_OUT', 'CANCELLED', 'RETURNED')) is distinct from (failure_stage is not null)
     or (failure_stage is not null and (failure_reason is null or failed_at is null
         or failure_stage not in ('payment', 'shipping', 'delivery')))`,
  ),
  rule(
    'lines agree with their order',
    "a line's order_date and order_status are its order's",
    `exists (select 1 from orders o where o.order_id = i.order_id
             and (o.order_date is distinct from i.order_date or o.order_status is distinct from i.order_status))`,
    'order_items i',
  ),

  // Storefront carts (issue 15; warehouse 019): checked only once carts have landed at all, so a
  // warehouse fed the orders alone (older pipelines, tests without the cart sink) is not flagged.
  // Orders placed through the order API carry no cart_id; a channel column (online | store) would
  // let this say "every online order" without that exception.
  rule(
    'every online order has a cart',
    "an order with a cart_id (the generator's online orders) has that cart landed, checked out into that order by the order's customer; an abandoned cart never becomes an order",
    `o.cart_id is not null and exists (select 1 from dim_cart)
     and not exists (select 1 from dim_cart c where c.cart_id = o.cart_id and c.order_id = o.order_id
                     and c.checked_out_at is not null and c.customer_id is not distinct from o.customer_id)`,
    'orders o',
  ),
  rule(
    "a checked-out cart holds its order's lines",
    'the products added to a checked-out cart and not removed are the SKUs of its landed order',
    `exists (select 1 from orders o where o.order_id = c.order_id)
     and exists (
       ((select sku from fact_cart_activity a where a.cart_id = c.cart_id and a.event_type in ('CREATE_CART', 'ADD_TO_CART')
         except select sku from fact_cart_activity a where a.cart_id = c.cart_id and a.event_type = 'REMOVE_FROM_CART')
        except select sku from order_items i where i.order_id = c.order_id)
       union all
       (select sku from order_items i where i.order_id = c.order_id
        except (select sku from fact_cart_activity a where a.cart_id = c.cart_id and a.event_type in ('CREATE_CART', 'ADD_TO_CART')
                except select sku from fact_cart_activity a where a.cart_id = c.cart_id and a.event_type = 'REMOVE_FROM_CART')))`,
    'dim_cart c',
  ),
  {
    name: 'one cart per order',
    description: 'no two carts were checked out into the same order',
    sql: `select coalesce(sum(n - 1), 0) as offending
            from (select count(*) as n from dim_cart where order_id is not null group by order_id having count(*) > 1) d`,
  },

  // Customer support (support/loader.ts): the tickets of the daily reports
  dup('dim_support_ticket', 'ticket_id'),
  dup('fact_support_ticket_event', 'ticket_id, event'),
  rule(
    'no support ticket open past 7 days',
    'every ticket still Pending or In Progress 7 days after creation, by the end of the last loaded report day, was Closed (the 7-day rule)',
    `status in ('Pending', 'In Progress')
     and created_at + interval '7 days' <= (select (max(report_day) + 1)::timestamp at time zone 'Asia/Manila' from support_report_load)`,
    'dim_support_ticket',
  ),
  rule(
    'support tickets obey the report rules',
    'a ticket is resolved or closed after it was created, its status agrees with its dates, and it has an opened event',
    `resolved_at < created_at or closed_at < created_at or (auto_closed <> (status = 'Closed'))
     or not exists (select 1 from fact_support_ticket_event e where e.ticket_id = t.ticket_id and e.event = 'opened')`,
    'dim_support_ticket t',
  ),
  {
    name: 'no support report day missing',
    description:
      'every day between the first and the last loaded support report has a report (support_report_gap lists the missing ones)',
    sql: 'select count(*) as offending from support_report_gap',
  },

  // The warehouse matches the landing tables
  {
    name: 'fact_orders total = landing total',
    description: 'fact_orders has each landed order once (count and sum of order_total agree)',
    sql: `select (select count(*) from orders) - (select count(*) from fact_orders)
               + case when (select sum(order_total) from orders) is distinct from (select sum(order_total) from fact_orders)
                      then 1 else 0 end as offending`,
  },
  {
    name: 'fact_order_items total = landing total',
    description: 'fact_order_items has each landed line once (count and sum of subtotal agree)',
    sql: `select (select count(*) from order_items) - (select count(*) from fact_order_items)
               + case when (select sum(subtotal) from order_items) is distinct from (select sum(subtotal) from fact_order_items)
                      then 1 else 0 end as offending`,
  },
  {
    name: 'revenue = delivered landing subtotals',
    description: 'metric_revenue_profit revenue equals the sum of delivered subtotals in order_items',
    sql: `select case when (select coalesce(sum(revenue), 0) from metric_revenue_profit)
                           = (select coalesce(sum(subtotal), 0) from order_items where order_status = 'DELIVERED')
                      then 0 else 1 end as offending`,
  },

  // SCD type 2
  {
    name: 'one current version per customer',
    description: 'each landed customer has exactly one current dim_customer row',
    sql: `select count(*) as offending from customers c
           where (select count(*) from dim_customer d where d.customer_id = c.customer_id and d.is_current) <> 1`,
  },
  {
    name: 'current version = landing row',
    description: "the current version's address and email are the landing row's",
    sql: `select count(*) as offending from customers c join dim_customer d on d.customer_id = c.customer_id and d.is_current
           where (d.street_address, d.lgu, d.email) is distinct from (c.street_address, c.lgu, c.email)`,
  },
  {
    name: 'validity ranges contiguous',
    description: 'versions of a customer neither overlap nor leave gaps, and each is non-empty',
    sql: `select count(*) as offending from (
            select valid_from, valid_to, lead(valid_from) over w as next_from, row_number() over w as n,
                   count(*) over (partition by customer_id) as versions
              from dim_customer window w as (partition by customer_id order by valid_from)) v
           where valid_from >= valid_to
              or (next_from is not null and next_from <> valid_to)
              or (next_from is null and valid_to <> 'infinity')`,
  },
  {
    name: 'orders join one customer version',
    description:
      'each order with a landed customer joins exactly one dim_customer version valid at its order_date',
    sql: `select count(*) as offending from orders o
           where exists (select 1 from customer_observations c where c.customer_id = o.customer_id)
             and (select count(*) from dim_customer d where d.customer_id = o.customer_id
                   and d.valid_from <= o.order_date and o.order_date < d.valid_to) <> 1`,
  },
];
