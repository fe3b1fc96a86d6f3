-- Schema 0.2.0: an online order carries the storefront cart it checks out (cart_events).
-- Null on orders landed before 0.2.0 and on orders placed without a cart (the order API).
alter table orders add column if not exists cart_id text;
comment on column orders.cart_id is 'The cart (cart_events) this order is the checkout of; null before schema 0.2.0.';
create index if not exists orders_cart_id_idx on orders (cart_id);
