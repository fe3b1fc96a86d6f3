-- order_items: one row per order line. ksqlDB cannot EXPLODE and PARTITION BY in one statement,
-- so the basket is exploded into an intermediate stream (still keyed by order_id) and re-keyed by
-- item_id = order_id + '-' + sku in a second statement. An empty basket explodes to no rows.
SET 'auto.offset.reset' = 'earliest';
SET 'processing.guarantee' = 'exactly_once_v2';

CREATE STREAM IF NOT EXISTS `order_lines`
  WITH (KAFKA_TOPIC = 'ksql_order_lines', KEY_FORMAT = 'KAFKA', VALUE_FORMAT = 'AVRO')
  AS SELECT
    `order_key`,
    ORDER_ID AS `order_id`,
    ORDER_DATE AS `order_date`,
    SHIPPING_INFO->ORDER_STATUS AS `order_status`,
    EXPLODE(ITEM_INFO) AS `item`
  FROM `landed_orders`;

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
    `item`->SUBTOTAL AS `subtotal`
  FROM `order_lines`
  PARTITION BY CONCAT(`order_id`, '-', CAST(`item`->SKU AS STRING));
