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
    'eta > payment_date (an online order; a store order has no eta)',
    `eta <= payment_date or (payment_date is not null and eta is null and channel is distinct from 'store')`,
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
    'Delivered has shipped (online) and finished dates; Timed Out has no payment; Cancelled/Returned are finished; paid online orders have a method and a date (store orders: "store orders are paid at the till")',
    `order_status not in ('PROCESSING', 'SHIPPED', 'DELIVERED', 'TIMED_OUT', 'CANCELLED', 'RETURNED')
     or (order_status = 'DELIVERED' and (finished_date is null or payment_date is null))
     or (order_status = 'DELIVERED' and shipped_date is null and channel is distinct from 'store')
     or (order_status = 'TIMED_OUT' and (payment_date is not null or payment_status or finished_date is null))
     or (order_status in ('CANCELLED', 'RETURNED') and (payment_date is null or finished_date is null))
     or (order_status = 'RETURNED' and shipped_date is null)
     or (payment_status is distinct from (payment_date is not null))
     or ((payment_date is null) <> (payment_method is null) and channel is distinct from 'store')`,
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
  // Since schema 0.4.0 an order says its channel: an online order (channel 'online'; null before
  // 0.4.0, when not every order had a cart) must name one, except the order API's (ids API-...),
  // which are placed without a cart; a store order has none ("store orders are never shipped").
  rule(
    'every online order has a cart',
    "every online order landed since schema 0.4.0 names a cart (the order API's, API-..., excepted), and an order with a cart_id has that cart landed, checked out into that order by the order's customer; an abandoned cart never becomes an order",
    `exists (select 1 from dim_cart)
     and ((o.cart_id is not null
           and not exists (select 1 from dim_cart c where c.cart_id = o.cart_id and c.order_id = o.order_id
                           and c.checked_out_at is not null and c.customer_id is not distinct from o.customer_id))
          or (o.cart_id is null and o.channel = 'online' and o.order_id not like 'API-%'))`,
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

  // Channels and VAT (schema 0.4.0, warehouse 022/023). Orders landed before 0.4.0 have no channel
  // (online) and no VAT fields; from 0.4.0 on both are always set.
  rule(
    'orders.channel known',
    "channel is null (before schema 0.4.0, online), 'online' or 'store'",
    `channel is not null and channel not in ('online', 'store')`,
  ),
  rule(
    'store orders name a known store',
    'a store order has a store_id of the stores reference table (reference/stores.ts; an unknown one is flagged only once stores are loaded)',
    `o.channel = 'store' and (o.store_id is null
       or (exists (select 1 from stores) and not exists (select 1 from stores s where s.store_id = o.store_id)))`,
    'orders o',
  ),
  rule(
    'store orders are never shipped',
    'a store order has no shipped_date, no eta, no cart and no express shipping',
    `channel = 'store' and (shipped_date is not null or eta is not null or cart_id is not null or express_shipping)`,
  ),
  rule(
    'store orders are paid at the till',
    'a store order is paid by a tender (CASH, DEBIT_CARD, CREDIT_CARD, DIGITAL_WALLET; no online payment method) and delivered when paid (finished_date = payment_date)',
    `channel = 'store' and (tender is null or tender not in ('CASH', 'DEBIT_CARD', 'CREDIT_CARD', 'DIGITAL_WALLET')
       or payment_method is not null or not payment_status or payment_date is null
       or order_status <> 'DELIVERED' or finished_date is distinct from payment_date or failure_stage is not null)`,
  ),
  rule(
    'online orders have no store',
    'an online order (or one landed before schema 0.4.0) has no store_id and no tender',
    `channel is distinct from 'store' and (store_id is not null or tender is not null)`,
  ),
  rule(
    'order vat_total = sum(vat_amount)',
    "an order's vat_total is the sum of its lines' vat_amount (both null before schema 0.4.0; set on every order since)",
    `(channel is not null and vat_total is null)
     or vat_total is distinct from (select sum(i.vat_amount) from order_items i where i.order_id = orders.order_id)`,
  ),
  rule(
    'line VAT rule',
    "a line's vat_amount is the VAT its VAT-inclusive subtotal holds: round(subtotal x vat_rate / (100 + vat_rate), 2); rate and amount are both set (0.4.0) or both null",
    `(vat_rate is null) <> (vat_amount is null)
     or vat_amount <> round(subtotal * vat_rate / (100 + vat_rate), 2)
     or (vat_rate is null and exists (select 1 from orders o where o.order_id = i.order_id and o.channel is not null))`,
    'order_items i',
  ),
  {
    name: 'line VAT rate = rate in force',
    description:
      "a line's vat_rate is the rate in force (vat_rules, from reference/vat.ts) on its order's local day for its category where the sale is made (the store's province at a till, the delivery province online); skipped while vat_rules is empty",
    sql: `with lines as (
            select i.vat_rate, i.category, (i.order_date at time zone 'Asia/Manila')::date as day,
                   case when o.channel = 'store' then s.provincial_code else o.provincial_code end as province
              from order_items i
              join orders o on o.order_id = i.order_id
              left join stores s on s.store_id = o.store_id
             where i.vat_rate is not null and exists (select 1 from vat_rules)
          ), rates as (
            select province, category, day, vat_rate_in_force(province, category, day) as rate
              from (select distinct province, category, day from lines) d
          )
          select count(*) as offending
            from lines l
            left join rates r on r.province is not distinct from l.province and r.category is not distinct from l.category
                             and r.day = l.day
           where r.rate is distinct from l.vat_rate`,
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
