-- Storefront carts (issue 15): the cart_events topic lands here through its JDBC sink (upsert by
-- (cart_id, seq), connect/sinks/cart_events.json). Column names are the Avro field names of
-- schemas/cart_event.avsc. The landing table keeps every event as it came (the staging copy);
-- a landing step checks each new event against its cart and either applies it to dim_cart or
-- dead-letters it with a reason (cart_event_dead_letters), and the stream goes on:
--   - an unknown cart: an event other than CREATE_CART for a cart never created;
--   - a cart created twice;
--   - anything after the cart's checkout (an add after a checkout: out of order);
--   - an event before its cart was created, an add or removal without a product, a removal of a
--     product not in the cart, a checkout without an order.
-- Events of one cart share a Kafka key, so they arrive in their order; a redelivered event is an
-- upsert of the same row (the AFTER UPDATE path), which changes nothing.

create table cart_events (
  cart_id     text not null,
  seq         integer not null,
  event_type  text,
  event_time  timestamptz,
  customer_id text,
  sku         integer,
  quantity    integer,
  view_count  integer,
  visits      integer,
  order_id    text,
  primary key (cart_id, seq)
);
comment on table cart_events is 'Every landed storefront cart event (topic cart_events, upsert by cart_id, seq), valid or not; fact_cart_activity holds the valid ones.';
create index cart_events_time_idx on cart_events (event_time);

-- One row per cart, kept by the landing step. status: checked_out, or open until the cart''s last
-- event is more than cart_expiry older than the newest landed event, then abandoned (the
-- generator''s carts.expiryHours, 24 h: see dim_cart_status).
create table dim_cart (
  cart_id         text primary key,
  customer_id     text,
  created_at      timestamptz not null,
  created_day     date not null,
  visits          integer not null default 1,
  last_event_at   timestamptz not null,
  events          integer not null default 1,
  lines_added     integer not null default 0,
  lines_removed   integer not null default 0,
  units_added     integer not null default 0,
  checked_out_at  timestamptz,
  order_id        text
);
comment on table dim_cart is 'One row per storefront cart (from cart_events, kept by the landing step): who, when, how many sessions led to it, what was added and removed, and the order it became, if any.';
create index dim_cart_order_idx on dim_cart (order_id);
create index dim_cart_day_idx on dim_cart (created_day);

create table cart_event_dead_letters (
  cart_id          text not null,
  seq              integer not null,
  event_type       text,
  event_time       timestamptz,
  reason           text not null,
  dead_lettered_at timestamptz not null default now(),
  primary key (cart_id, seq)
);
comment on table cart_event_dead_letters is 'Landed cart events that do not fit their cart (unknown cart, after the checkout, ...), with the reason; kept out of dim_cart and fact_cart_activity.';

-- The landing step: one new event checked and applied (or dead-lettered).
create function cart_event_landed() returns trigger
language plpgsql
set search_path from current
as $$
declare
  cart dim_cart%rowtype;
  reason text;
begin
  select * into cart from dim_cart where cart_id = new.cart_id for update;
  if new.event_type = 'CREATE_CART' then
    if found then
      reason := 'cart created twice';
    end if;
  elsif not found then
    reason := 'unknown cart';
  elsif cart.checked_out_at is not null then
    reason := lower(coalesce(new.event_type, 'event')) || ' after checkout';
  end if;
  if reason is null then
    if new.event_time is null then
      reason := 'no event time';
    elsif new.event_type not in ('CREATE_CART', 'ADD_TO_CART', 'REMOVE_FROM_CART', 'CHECKOUT') then
      reason := 'unknown event type';
    elsif new.event_type <> 'CREATE_CART' and new.event_time < cart.created_at then
      reason := 'before its cart was created';
    elsif new.event_type in ('CREATE_CART', 'ADD_TO_CART', 'REMOVE_FROM_CART')
          and (new.sku is null or new.quantity is null or new.quantity <= 0) then
      reason := 'no product or quantity';
    elsif new.event_type = 'REMOVE_FROM_CART'
          and not exists (select 1 from cart_events e
                           where e.cart_id = new.cart_id and e.seq < new.seq and e.sku = new.sku
                             and e.event_type in ('CREATE_CART', 'ADD_TO_CART')
                             and not exists (select 1 from cart_event_dead_letters d
                                              where d.cart_id = e.cart_id and d.seq = e.seq)) then
      reason := 'removal of a product not in the cart';
    elsif new.event_type = 'CHECKOUT' and new.order_id is null then
      reason := 'checkout without an order';
    end if;
  end if;

  if reason is not null then
    insert into cart_event_dead_letters (cart_id, seq, event_type, event_time, reason)
    values (new.cart_id, new.seq, new.event_type, new.event_time, reason)
    on conflict (cart_id, seq) do nothing;
    return null;
  end if;

  if new.event_type = 'CREATE_CART' then
    insert into dim_cart (cart_id, customer_id, created_at, created_day, visits, last_event_at,
                          lines_added, units_added)
    values (new.cart_id, new.customer_id, new.event_time,
            (new.event_time at time zone 'Asia/Manila')::date, coalesce(new.visits, 1),
            new.event_time, 1, new.quantity);
  else
    update dim_cart c
       set last_event_at = greatest(c.last_event_at, new.event_time),
           events = c.events + 1,
           lines_added = c.lines_added + (new.event_type = 'ADD_TO_CART')::integer,
           units_added = c.units_added + case when new.event_type = 'ADD_TO_CART' then new.quantity else 0 end,
           lines_removed = c.lines_removed + (new.event_type = 'REMOVE_FROM_CART')::integer,
           checked_out_at = case when new.event_type = 'CHECKOUT' then new.event_time else c.checked_out_at end,
           order_id = case when new.event_type = 'CHECKOUT' then new.order_id else c.order_id end
     where c.cart_id = new.cart_id;
  end if;
  return null;
end
$$;

create trigger cart_events_land after insert on cart_events
  for each row execute function cart_event_landed();

-- How long a cart may sit unchecked-out before it counts as abandoned (the generator's expiryHours).
create function cart_expiry() returns interval language sql immutable as $$ select interval '24 hours' $$;

-- The cart with its status as of the newest landed event.
create view dim_cart_status as
select c.*,
       case
         when c.checked_out_at is not null then 'checked_out'
         when c.last_event_at + cart_expiry() < (select max(event_time) from cart_events) then 'abandoned'
         else 'open'
       end as status
  from dim_cart c;

-- One row per valid cart event (dead letters left out), with its Manila day and product (the name
-- and category of its current dim_product version: one per product).
create view fact_cart_activity as
select e.cart_id,
       e.seq,
       e.event_type,
       e.event_time,
       (e.event_time at time zone 'Asia/Manila')::date as event_day,
       c.customer_id,
       e.sku,
       p.product_name,
       p.category,
       e.quantity,
       e.view_count,
       e.order_id
  from cart_events e
  join dim_cart c on c.cart_id = e.cart_id
  left join dim_product p on p.sku = e.sku and p.is_current
 where not exists (select 1 from cart_event_dead_letters d where d.cart_id = e.cart_id and d.seq = e.seq);
