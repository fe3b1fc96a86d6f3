-- customers: the customer as of each order, keyed by customer_id (the sink upserts it; the
-- warehouse keeps the history as a slowly changing dimension).
SET 'auto.offset.reset' = 'earliest';
SET 'processing.guarantee' = 'exactly_once_v2';

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
  FROM `landed_orders`
  PARTITION BY CUSTOMER_INFO->CUSTOMER_ID;
