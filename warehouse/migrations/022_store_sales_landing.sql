-- Schema 0.4.0: orders placed at a store's till, and VAT on every line. The split carries the new
-- fields; rows landed before 0.4.0 have them null (they are online orders, VAT not recorded).
alter table orders
  add column if not exists channel text,
  add column if not exists store_id text,
  add column if not exists tender text,
  add column if not exists vat_total numeric(12, 2);
comment on column orders.channel is 'online or store (schema 0.4.0); null on orders landed before it, which are online.';
comment on column orders.store_id is 'The store of a store order (dim_store); null online.';
comment on column orders.tender is 'How a store order was paid at the till: CASH, DEBIT_CARD, CREDIT_CARD or DIGITAL_WALLET; null online (see payment_method).';
comment on column orders.vat_total is 'VAT included in order_total (prices are VAT-inclusive); null before schema 0.4.0.';
create index if not exists orders_store_id_idx on orders (store_id, order_date) where store_id is not null;

alter table order_items
  add column if not exists vat_rate numeric(5, 2),
  add column if not exists vat_amount numeric(12, 2);
comment on column order_items.vat_rate is 'VAT rate of the line in percent (0.00 = exempt or zero-rated); null before schema 0.4.0.';
comment on column order_items.vat_amount is 'VAT included in the line''s subtotal: round(subtotal x rate / (100 + rate), 2); null before schema 0.4.0.';
