-- Schema 0.4.0 (stores and VAT): the split carries channel, store_id, tender and vat_total on orders,
-- vat_rate and vat_amount on order_items, as splitter/split.ts does.
--
-- None of this can be an in-place upgrade (CREATE OR REPLACE). ksqlDB captured the source columns
-- when V000001 ran, and 0.4.0 adds fields inside existing structs (payment_info.tender,
-- item_info[].vat_rate and vat_amount): a changed column type is not an upgrade ksqlDB allows, so
-- the two source streams cannot be replaced. landed_orders cannot be replaced either while the
-- INSERT INTO of V000002 writes into it, and that query has a generated id a migration cannot name.
--
-- So this is a replacing upgrade. The four split streams are dropped (DROP STREAM terminates the
-- query that writes a stream and keeps its topic); new source streams over the same topics infer
-- the 0.4.0 columns from the registry (compose's `topics` service registers them before this runs);
-- a new landed stream unites them, and the split streams are created again under their own names,
-- writing their own topics. They start from the earliest offset, so every order is split again:
-- the JDBC sink upserts by key, so the rewritten rows land in place, now with the new columns.
-- The V000002 chain (finished_orders_src, failed_orders_src, landed_orders) keeps running with no
-- reader; dropping it needs TERMINATE of its INSERT query by id (SHOW QUERIES) by hand.
SET 'auto.offset.reset' = 'earliest';
SET 'processing.guarantee' = 'exactly_once_v2';

DROP STREAM IF EXISTS `order_items`;
DROP STREAM IF EXISTS `order_lines`;
DROP STREAM IF EXISTS `orders`;
DROP STREAM IF EXISTS `customers`;

CREATE STREAM IF NOT EXISTS `finished_orders_040_src` (`order_key` STRING KEY)
  WITH (KAFKA_TOPIC = 'finished_orders', KEY_FORMAT = 'KAFKA', VALUE_FORMAT = 'AVRO');

CREATE STREAM IF NOT EXISTS `failed_orders_040_src` (`order_key` STRING KEY)
  WITH (KAFKA_TOPIC = 'failed_orders', KEY_FORMAT = 'KAFKA', VALUE_FORMAT = 'AVRO');

CREATE STREAM IF NOT EXISTS `landed_orders_040`
  WITH (KAFKA_TOPIC = 'ksql_landed_orders_040', KEY_FORMAT = 'KAFKA', VALUE_FORMAT = 'AVRO')
  AS SELECT * FROM `finished_orders_040_src`;

INSERT INTO `landed_orders_040` SELECT * FROM `failed_orders_040_src`;

-- orders (V000003 plus the 0.4.0 columns). CHANNEL and TENDER are Avro enums, read as their symbols
-- (STRING); VAT_TOTAL is DECIMAL(12, 2) and is written as an Avro decimal of the same precision.
CREATE STREAM IF NOT EXISTS `orders`
  WITH (
    KAFKA_TOPIC = 'orders',
    KEY_FORMAT = 'KAFKA',
    VALUE_FORMAT = 'AVRO',
    VALUE_AVRO_SCHEMA_FULL_NAME = 'io.orderflow.split.Orders'
  )
  AS SELECT
    ORDER_ID AS `order_key`,
    AS_VALUE(ORDER_ID) AS `order_id`,
    ORDER_DATE AS `order_date`,
    CUSTOMER_INFO->CUSTOMER_ID AS `customer_id`,
    CUSTOMER_INFO->LGU AS `lgu`,
    CUSTOMER_INFO->PROVINCIAL_CODE AS `provincial_code`,
    PAYMENT_INFO->PAYMENT_STATUS AS `payment_status`,
    PAYMENT_INFO->PAYMENT_METHOD AS `payment_method`,
    PAYMENT_INFO->PAYMENT_DATE AS `payment_date`,
    SHIPPING_INFO->SHIPPING_ID AS `shipping_id`,
    SHIPPING_INFO->EXPRESS_SHIPPING AS `express_shipping`,
    SHIPPING_INFO->ORDER_STATUS AS `order_status`,
    SHIPPING_INFO->SHIPPED_DATE AS `shipped_date`,
    SHIPPING_INFO->ETA AS `eta`,
    SHIPPING_INFO->FINISHED_DATE AS `finished_date`,
    ITEM_VARIETY AS `item_variety`,
    ORDER_TOTAL AS `order_total`,
    FAILURE->STAGE AS `failure_stage`,
    FAILURE->REASON AS `failure_reason`,
    FAILURE->FAILED_AT AS `failed_at`,
    CART_ID AS `cart_id`,
    CHANNEL AS `channel`,
    STORE_ID AS `store_id`,
    PAYMENT_INFO->TENDER AS `tender`,
    VAT_TOTAL AS `vat_total`
  FROM `landed_orders_040`
  PARTITION BY ORDER_ID;

-- customers: unchanged from V000004, now over the 0.4.0 landed stream.
CREATE STREAM IF NOT EXISTS `customers`
  WITH (
    KAFKA_TOPIC = 'customers',
    KEY_FORMAT = 'KAFKA',
    VALUE_FORMAT = 'AVRO',
    VALUE_AVRO_SCHEMA_FULL_NAME = 'io.orderflow.split.Customers'
  )
  AS SELECT
    CUSTOMER_INFO->CUSTOMER_ID AS `customer_key`,
    AS_VALUE(CUSTOMER_INFO->CUSTOMER_ID) AS `customer_id`,
    CUSTOMER_INFO->CUSTOMER_NAME AS `customer_name`,
    CUSTOMER_INFO->COMPANY AS `company`,
    CUSTOMER_INFO->EMAIL AS `email`,
    CUSTOMER_INFO->STREET_ADDRESS AS `street_address`,
    CUSTOMER_INFO->LGU AS `lgu`,
    CUSTOMER_INFO->PROVINCIAL_CODE AS `provincial_code`,
    CUSTOMER_INFO->CONTACT_NUMBER AS `contact_number`,
    ORDER_ID AS `last_order_id`,
    ORDER_DATE AS `as_of`
  FROM `landed_orders_040`
  PARTITION BY CUSTOMER_INFO->CUSTOMER_ID;

-- order_items (V000005 plus vat_rate and vat_amount): exploded into a new intermediate topic (the
-- old one holds lines without the VAT fields), then re-keyed by item_id in a second statement.
CREATE STREAM IF NOT EXISTS `order_lines`
  WITH (KAFKA_TOPIC = 'ksql_order_lines_040', KEY_FORMAT = 'KAFKA', VALUE_FORMAT = 'AVRO')
  AS SELECT
    `order_key`,
    ORDER_ID AS `order_id`,
    ORDER_DATE AS `order_date`,
    SHIPPING_INFO->ORDER_STATUS AS `order_status`,
    EXPLODE(ITEM_INFO) AS `item`
  FROM `landed_orders_040`;

CREATE STREAM IF NOT EXISTS `order_items`
  WITH (
    KAFKA_TOPIC = 'order_items',
    KEY_FORMAT = 'KAFKA',
    VALUE_FORMAT = 'AVRO',
    VALUE_AVRO_SCHEMA_FULL_NAME = 'io.orderflow.split.OrderItems'
  )
  AS SELECT
    CONCAT(`order_id`, '-', CAST(`item`->SKU AS STRING)) AS `item_key`,
    AS_VALUE(CONCAT(`order_id`, '-', CAST(`item`->SKU AS STRING))) AS `item_id`,
    `order_id`,
    `order_date`,
    `order_status`,
    `item`->SKU AS `sku`,
    `item`->PRODUCT_NAME AS `product_name`,
    `item`->CATEGORY AS `category`,
    `item`->UNIT_PRICE AS `unit_price`,
    `item`->QUANTITY AS `quantity`,
    `item`->DISCOUNT_PERCENT AS `discount_percent`,
    `item`->SUBTOTAL AS `subtotal`,
    `item`->VAT_RATE AS `vat_rate`,
    `item`->VAT_AMOUNT AS `vat_amount`
  FROM `order_lines`
  PARTITION BY CONCAT(`order_id`, '-', CAST(`item`->SKU AS STRING));
