/**
 * Storefront carts for the seeded warehouse's orders, as the cart_events sink would land them
 * (migration 020): the rows go into the landing table `cart_events`, whose landing step (the real
 * trigger) builds dim_cart and dead-letters what does not fit. Deterministic (hashes of the order
 * ids), shaped like the generator's carts (simulation/model/carts.ts) without depending on it:
 *
 * - every online order (a till sale has no cart) is the checkout of a cart created 5-44 minutes
 *   before it, holding the order's lines
 *   (CREATE_CART with the first, ADD_TO_CART for the others), one order in 10 with a further product
 *   added and removed again, then CHECKOUT into the order; the order carries the cart's id;
 * - before each order, 2 or 3 carts (mean 2.33: about 70% of carts abandoned) of 1 or 2 products,
 *   one in 8 with a removal, half of them a guest's, never checked out;
 * - CREATE_CART's visits: 1-24 sessions (mean 12.5, an add-to-cart rate of 8%); views per add 1-5;
 * - three bad events: an add after the checkout of the two newest orders' carts, and an add to a
 *   cart never created ("unknown cart").
 */
export const SEED_CARTS_SQL = `
  create temporary table seeded_cart_steps on commit drop as
  with o as (
    select order_id, order_date, customer_id, abs(hashtext(order_id)) as h from orders
     where order_date is not null and channel is distinct from 'store'
  ), lines as (
    select i.order_id, i.sku, i.quantity, (row_number() over (partition by i.order_id order by i.sku) - 1)::int as k
      from order_items i join o using (order_id)
  ), counts as (
    select order_id, count(*)::int as n from lines group by order_id
  ), extra as (
    select o.order_id,
           (select p.sku from products p
             where p.sku not in (select x.sku from order_items x where x.order_id = o.order_id)
             order by abs(hashtext(p.sku || o.order_id)), p.sku limit 1) as sku
      from o where o.h % 10 = 0
  ), checked_out as (
    select order_id, k as seq, 'ADD_TO_CART' as kind, sku, quantity from lines
    union all select e.order_id, c.n, 'ADD_TO_CART', e.sku, 1 from extra e join counts c using (order_id)
    union all select e.order_id, c.n + 1, 'REMOVE_FROM_CART', e.sku, 1 from extra e join counts c using (order_id)
    union all select c.order_id, c.n + case when e.order_id is null then 0 else 2 end, 'CHECKOUT', null, null
      from counts c left join extra e using (order_id)
  ), abandoned as (
    select o.order_id, o.order_date, o.customer_id, 'CART-' || o.order_id || '-A' || g.a as cart_id,
           abs(hashtext(o.order_id || '-A' || g.a)) as h2
      from o, generate_series(1, 2 + (o.h % 3 = 0)::int) as g (a)
  ), abandoned_steps as (
    select a.cart_id, k.k as seq, 'ADD_TO_CART' as kind, 1 + (a.h2 + k.k * 17) % 55 as sku, 1 + (a.h2 % 4 = 1)::int as quantity
      from abandoned a, generate_series(0, (a.h2 % 4 = 0)::int) as k (k)
    union all
    select a.cart_id, 1 + (a.h2 % 4 = 0)::int, 'REMOVE_FROM_CART', 1 + a.h2 % 55, 1 + (a.h2 % 4 = 1)::int
      from abandoned a where a.h2 % 8 = 0
  )
  select 'CART-' || s.order_id as cart_id, s.seq, s.kind, s.sku, s.quantity, o.customer_id,
         o.order_date - (5 + o.h % 40) * interval '1 minute' as starts, o.order_date as ends, o.h, s.order_id,
         s.kind = 'CHECKOUT' as checkout
    from checked_out s join o using (order_id)
  union all
  select s.cart_id, s.seq, s.kind, s.sku, s.quantity, case when a.h2 % 2 = 0 then null else a.customer_id end,
         a.order_date - (60 + a.h2 % 900) * interval '1 minute',
         a.order_date - (60 + a.h2 % 900) * interval '1 minute' + (3 + a.h2 % 40) * interval '1 minute', a.h2, null, false
    from abandoned_steps s join abandoned a using (cart_id);

  insert into cart_events (cart_id, seq, event_type, event_time, customer_id, sku, quantity, view_count, visits, order_id)
  select cart_id, seq,
         case when seq = 0 then 'CREATE_CART' else kind end,
         starts + (ends - starts) * seq / greatest(1, max(seq) over (partition by cart_id)),
         case when seq = 0 then customer_id end,
         sku, quantity,
         case when kind = 'ADD_TO_CART' then 1 + abs(hashtext(cart_id || seq)) % 5 end,
         case when seq = 0 then 1 + h % 24 end,
         case when checkout then order_id end
    from seeded_cart_steps
   order by cart_id, seq;

  update orders set cart_id = 'CART-' || order_id where order_date is not null and channel is distinct from 'store';

  insert into cart_events (cart_id, seq, event_type, event_time, sku, quantity, view_count)
  select c.cart_id, c.events, 'ADD_TO_CART', c.checked_out_at + interval '5 minutes', 7, 1, 2
    from dim_cart c where c.checked_out_at is not null order by c.checked_out_at desc limit 2;
  insert into cart_events (cart_id, seq, event_type, event_time, sku, quantity, view_count)
  select 'CART-NEVER-CREATED', 1, 'ADD_TO_CART', max(order_date) - interval '1 hour', 7, 1, 2 from orders;`;

/**
 * For the tests' expected figures, per cart from the landing tables only (cart_events, orders), not the
 * landing step or the views: its creation, visits, checkout and events up to it, whether
 * it expired (last event 24 h before the newest landed event), and its landed order's outcome.
 */
export const CARTS_SQL = `
  with events as (
    select e.*, min(e.seq) filter (where e.event_type = 'CHECKOUT') over (partition by e.cart_id) as checkout_seq,
           bool_or(e.event_type = 'CREATE_CART' and e.seq = 0) over (partition by e.cart_id) as created
      from cart_events e
  ), carts as (
    select cart_id,
           min(event_time) filter (where seq = 0) as created_at,
           max(visits) filter (where seq = 0) as visits,
           bool_or(event_type = 'CHECKOUT') as checked_out,
           max(event_time) filter (where seq <= coalesce(checkout_seq, seq)) as last_event_at,
           count(*) filter (where seq <= coalesce(checkout_seq, seq)) as events
      from events where created group by cart_id
  )
  select c.*, (c.created_at at time zone 'Asia/Manila')::date as day,
         not c.checked_out and c.last_event_at + interval '24 hours' < (select max(event_time) from cart_events) as expired,
         o.order_id is not null as landed, o.payment_date is not null as paid, o.order_status = 'DELIVERED' as delivered
    from carts c left join orders o on o.cart_id = c.cart_id`;
