-- The explode and split in Flink SQL: finished and failed orders into the flat, keyed topics the JDBC
-- sink lands (orders, customers, order_items), the same rows as ksql/migrations and the TypeScript
-- splitter (splitter/split.ts); test/integration/flink compares them record by record.
-- `orderflow flink split` submits it after flink/catalog.sql, with the same placeholders filled in.
--
-- Exactly once: the job checkpoints every 2 s; the Kafka sinks write in transactions committed with
-- each checkpoint (transactional ids start with the topic prefix, so two pipelines on one cluster
-- never fence each other); the sources and every downstream consumer read read_committed. A
-- transaction stays open up to a checkpoint, so the timeout must be within the broker's
-- transaction.max.timeout.ms (15 min by default; Flink's producer default of 1 h is refused).

SET 'pipeline.name' = '{{prefix}}orderflow-flink-split';
SET 'execution.checkpointing.interval' = '2 s';
SET 'execution.checkpointing.mode' = 'EXACTLY_ONCE';
SET 'execution.checkpointing.externalized-checkpoint-retention' = 'RETAIN_ON_CANCELLATION';

-- Finished and failed orders in one stream (failure is null on finished orders).
CREATE TEMPORARY VIEW `landed_orders` AS
  SELECT `order_id`, `order_date`, `customer_info`, `payment_info`, `shipping_info`, `item_info`,
         `item_variety`, `order_total`, `failure`, `cart_id`, `channel`, `store_id`, `vat_total`
  FROM `finished_orders`
  UNION ALL
  SELECT `order_id`, `order_date`, `customer_info`, `payment_info`, `shipping_info`, `item_info`,
         `item_variety`, `order_total`, `failure`, `cart_id`, `channel`, `store_id`, `vat_total`
  FROM `failed_orders`;

CREATE TEMPORARY TABLE `orders_out` WITH (
  'sink.delivery-guarantee' = 'exactly-once',
  'sink.transactional-id-prefix' = '{{prefix}}orderflow-flink-split-orders',
  'properties.transaction.timeout.ms' = '900000'
) LIKE `orders` (OVERWRITING OPTIONS);

CREATE TEMPORARY TABLE `customers_out` WITH (
  'sink.delivery-guarantee' = 'exactly-once',
  'sink.transactional-id-prefix' = '{{prefix}}orderflow-flink-split-customers',
  'properties.transaction.timeout.ms' = '900000'
) LIKE `customers` (OVERWRITING OPTIONS);

CREATE TEMPORARY TABLE `order_items_out` WITH (
  'sink.delivery-guarantee' = 'exactly-once',
  'sink.transactional-id-prefix' = '{{prefix}}orderflow-flink-split-order-items',
  'properties.transaction.timeout.ms' = '900000'
) LIKE `order_items` (OVERWRITING OPTIONS);

EXECUTE STATEMENT SET
BEGIN
  -- orders: one row per order, payment and shipping flattened, failure columns included; key order_id.
  INSERT INTO `orders_out` (
    `order_key`, `order_id`, `order_date`, `customer_id`, `lgu`, `provincial_code`,
    `payment_status`, `payment_method`, `payment_date`, `shipping_id`, `express_shipping`,
    `order_status`, `shipped_date`, `eta`, `finished_date`, `item_variety`, `order_total`,
    `failure_stage`, `failure_reason`, `failed_at`, `cart_id`, `channel`, `store_id`, `tender`,
    `vat_total`)
  SELECT
    o.`order_id`, o.`order_id`, o.`order_date`,
    o.`customer_info`.`customer_id`, o.`customer_info`.`lgu`, o.`customer_info`.`provincial_code`,
    o.`payment_info`.`payment_status`, o.`payment_info`.`payment_method`, o.`payment_info`.`payment_date`,
    o.`shipping_info`.`shipping_id`, o.`shipping_info`.`express_shipping`, o.`shipping_info`.`order_status`,
    o.`shipping_info`.`shipped_date`, o.`shipping_info`.`eta`, o.`shipping_info`.`finished_date`,
    o.`item_variety`, o.`order_total`,
    o.`failure`.`stage`, o.`failure`.`reason`, o.`failure`.`failed_at`, o.`cart_id`,
    o.`channel`, o.`store_id`, o.`payment_info`.`tender`, o.`vat_total`
  FROM `landed_orders` AS o;

  -- customers: the customer as of each order, keyed by customer_id (the sink upserts it).
  INSERT INTO `customers_out` (
    `customer_key`, `customer_id`, `customer_name`, `company`, `email`, `street_address`, `lgu`,
    `provincial_code`, `contact_number`, `last_order_id`, `as_of`)
  SELECT
    o.`customer_info`.`customer_id`, o.`customer_info`.`customer_id`, o.`customer_info`.`customer_name`,
    o.`customer_info`.`company`, o.`customer_info`.`email`, o.`customer_info`.`street_address`,
    o.`customer_info`.`lgu`, o.`customer_info`.`provincial_code`, o.`customer_info`.`contact_number`,
    o.`order_id`, o.`order_date`
  FROM `landed_orders` AS o;

  -- order_items: the basket exploded (CROSS JOIN UNNEST: an empty basket gives no rows), one row per
  -- line, key item_id = order_id + '-' + sku. Flink re-keys in the same statement (ksqlDB needs two).
  INSERT INTO `order_items_out` (
    `item_key`, `item_id`, `order_id`, `order_date`, `order_status`, `sku`, `product_name`,
    `category`, `unit_price`, `quantity`, `discount_percent`, `subtotal`, `vat_rate`, `vat_amount`)
  SELECT
    CONCAT(o.`order_id`, '-', CAST(i.`sku` AS STRING)),
    CONCAT(o.`order_id`, '-', CAST(i.`sku` AS STRING)),
    o.`order_id`, o.`order_date`, o.`shipping_info`.`order_status`,
    i.`sku`, i.`product_name`, i.`category`, i.`unit_price`, i.`quantity`, i.`discount_percent`, i.`subtotal`,
    i.`vat_rate`, i.`vat_amount`
  FROM `landed_orders` AS o
  CROSS JOIN UNNEST(o.`item_info`) AS i (`sku`, `product_name`, `category`, `unit_price`, `quantity`, `discount_percent`, `subtotal`,
    `vat_rate`, `vat_amount`);
END;
