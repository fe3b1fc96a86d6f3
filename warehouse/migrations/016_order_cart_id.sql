-- Schema 0.2.0: an online order may carry the storefront cart it checks out. Null on orders landed
-- before 0.2.0, on orders placed without a cart (the order API), and, until the generator writes
-- carts, on every order.
alter table orders add column if not exists cart_id text;
comment on column orders.cart_id is 'The storefront cart this order is the checkout of; null when it has none (before schema 0.2.0, the order API).';
create index if not exists orders_cart_id_idx on orders (cart_id);
