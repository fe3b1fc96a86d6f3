-- orders: one row per order, payment and shipping flattened, failure columns included.
-- Key: order_id (AS_VALUE keeps a copy in the value, where the JDBC sink reads its columns).
SET 'auto.offset.reset' = 'earliest';
SET 'processing.guarantee' = 'exactly_once_v2';

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
    CART_ID AS `cart_id`
  FROM `landed_orders`
  PARTITION BY ORDER_ID;
