-- The pipeline's topics as Flink SQL tables. `orderflow sql` runs this in every session before
-- anything else, with {{prefix}} (ORDERFLOW_TOPIC_PREFIX), {{bootstrap}}, {{registry}} and
-- the schema placeholders (a schemas/ file as JSON, quotes doubled) filled in by flink/catalog.ts.
--
-- Values are Avro in the Confluent wire format, writer schemas fetched from Apicurio's
-- Confluent-compatible API (format avro-confluent against /apis/ccompat/v7). The reader schema is
-- the project's own .avsc (value.avro-confluent.schema): the schema Flink would derive from the
-- columns has strings where the records carry enums, and Avro refuses to resolve an enum to a string.
-- Enums (payment_method, order_status, failure.stage) read as STRING: their symbols (DELIVERED, ...).
-- Keys are the plain string keys the pipeline writes (format raw). Every table reads from the
-- earliest offset, read_committed (the processors write in transactions), with an event-time
-- watermark on the order date. Column names are lower case, as in the .avsc files. The kafka_*
-- columns are each record's partition, offset and timestamp (read-only metadata).

-- Windows over two years of backfilled history: a partition with nothing new must not hold the
-- watermark back for ever.
SET 'table.exec.source.idle-timeout' = '5 s';

-- unpaid_orders: the order at that stage, keyed by order_id.
CREATE TABLE IF NOT EXISTS `unpaid_orders` (
  `order_key` STRING NOT NULL,
  `order_id` STRING NOT NULL,
  `order_date` TIMESTAMP(3) NOT NULL,
  `customer_info` ROW<
    `customer_id` STRING NOT NULL, `customer_name` STRING NOT NULL, `company` STRING NOT NULL,
    `email` STRING NOT NULL, `street_address` STRING NOT NULL, `lgu` STRING NOT NULL,
    `provincial_code` STRING NOT NULL, `contact_number` STRING NOT NULL> NOT NULL,
  `payment_info` ROW<
    `payment_status` BOOLEAN NOT NULL, `payment_method` STRING, `payment_date` TIMESTAMP(3)> NOT NULL,
  `shipping_info` ROW<
    `shipping_id` STRING NOT NULL, `express_shipping` BOOLEAN NOT NULL, `order_status` STRING NOT NULL,
    `shipped_date` TIMESTAMP(3), `eta` TIMESTAMP(3), `finished_date` TIMESTAMP(3)> NOT NULL,
  `item_info` ARRAY<ROW<
    `sku` INT NOT NULL, `product_name` STRING NOT NULL, `category` STRING NOT NULL,
    `unit_price` DECIMAL(12, 2) NOT NULL, `quantity` INT NOT NULL,
    `discount_percent` DECIMAL(5, 2) NOT NULL, `subtotal` DECIMAL(12, 2) NOT NULL> NOT NULL> NOT NULL,
  `item_variety` INT NOT NULL,
  `order_total` DECIMAL(12, 2) NOT NULL,
  `failure` ROW<`stage` STRING NOT NULL, `reason` STRING NOT NULL, `failed_at` TIMESTAMP(3) NOT NULL>,
  `kafka_partition` INT METADATA FROM 'partition' VIRTUAL,
  `kafka_offset` BIGINT METADATA FROM 'offset' VIRTUAL,
  `kafka_timestamp` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
  WATERMARK FOR `order_date` AS `order_date` - INTERVAL '1' MINUTE
) WITH (
  'connector' = 'kafka',
  'topic' = '{{prefix}}unpaid_orders',
  'properties.bootstrap.servers' = '{{bootstrap}}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'key.format' = 'raw',
  'key.fields' = 'order_key',
  'value.format' = 'avro-confluent',
  'value.avro-confluent.url' = '{{registry}}',
  'value.avro-confluent.schema' = '{{schema:order.avsc}}',
  'value.fields-include' = 'EXCEPT_KEY'
);

-- paid_orders: the order at that stage, keyed by order_id.
CREATE TABLE IF NOT EXISTS `paid_orders` (
  `order_key` STRING NOT NULL,
  `order_id` STRING NOT NULL,
  `order_date` TIMESTAMP(3) NOT NULL,
  `customer_info` ROW<
    `customer_id` STRING NOT NULL, `customer_name` STRING NOT NULL, `company` STRING NOT NULL,
    `email` STRING NOT NULL, `street_address` STRING NOT NULL, `lgu` STRING NOT NULL,
    `provincial_code` STRING NOT NULL, `contact_number` STRING NOT NULL> NOT NULL,
  `payment_info` ROW<
    `payment_status` BOOLEAN NOT NULL, `payment_method` STRING, `payment_date` TIMESTAMP(3)> NOT NULL,
  `shipping_info` ROW<
    `shipping_id` STRING NOT NULL, `express_shipping` BOOLEAN NOT NULL, `order_status` STRING NOT NULL,
    `shipped_date` TIMESTAMP(3), `eta` TIMESTAMP(3), `finished_date` TIMESTAMP(3)> NOT NULL,
  `item_info` ARRAY<ROW<
    `sku` INT NOT NULL, `product_name` STRING NOT NULL, `category` STRING NOT NULL,
    `unit_price` DECIMAL(12, 2) NOT NULL, `quantity` INT NOT NULL,
    `discount_percent` DECIMAL(5, 2) NOT NULL, `subtotal` DECIMAL(12, 2) NOT NULL> NOT NULL> NOT NULL,
  `item_variety` INT NOT NULL,
  `order_total` DECIMAL(12, 2) NOT NULL,
  `failure` ROW<`stage` STRING NOT NULL, `reason` STRING NOT NULL, `failed_at` TIMESTAMP(3) NOT NULL>,
  `kafka_partition` INT METADATA FROM 'partition' VIRTUAL,
  `kafka_offset` BIGINT METADATA FROM 'offset' VIRTUAL,
  `kafka_timestamp` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
  WATERMARK FOR `order_date` AS `order_date` - INTERVAL '1' MINUTE
) WITH (
  'connector' = 'kafka',
  'topic' = '{{prefix}}paid_orders',
  'properties.bootstrap.servers' = '{{bootstrap}}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'key.format' = 'raw',
  'key.fields' = 'order_key',
  'value.format' = 'avro-confluent',
  'value.avro-confluent.url' = '{{registry}}',
  'value.avro-confluent.schema' = '{{schema:order.avsc}}',
  'value.fields-include' = 'EXCEPT_KEY'
);

-- shipped_orders: the order at that stage, keyed by order_id.
CREATE TABLE IF NOT EXISTS `shipped_orders` (
  `order_key` STRING NOT NULL,
  `order_id` STRING NOT NULL,
  `order_date` TIMESTAMP(3) NOT NULL,
  `customer_info` ROW<
    `customer_id` STRING NOT NULL, `customer_name` STRING NOT NULL, `company` STRING NOT NULL,
    `email` STRING NOT NULL, `street_address` STRING NOT NULL, `lgu` STRING NOT NULL,
    `provincial_code` STRING NOT NULL, `contact_number` STRING NOT NULL> NOT NULL,
  `payment_info` ROW<
    `payment_status` BOOLEAN NOT NULL, `payment_method` STRING, `payment_date` TIMESTAMP(3)> NOT NULL,
  `shipping_info` ROW<
    `shipping_id` STRING NOT NULL, `express_shipping` BOOLEAN NOT NULL, `order_status` STRING NOT NULL,
    `shipped_date` TIMESTAMP(3), `eta` TIMESTAMP(3), `finished_date` TIMESTAMP(3)> NOT NULL,
  `item_info` ARRAY<ROW<
    `sku` INT NOT NULL, `product_name` STRING NOT NULL, `category` STRING NOT NULL,
    `unit_price` DECIMAL(12, 2) NOT NULL, `quantity` INT NOT NULL,
    `discount_percent` DECIMAL(5, 2) NOT NULL, `subtotal` DECIMAL(12, 2) NOT NULL> NOT NULL> NOT NULL,
  `item_variety` INT NOT NULL,
  `order_total` DECIMAL(12, 2) NOT NULL,
  `failure` ROW<`stage` STRING NOT NULL, `reason` STRING NOT NULL, `failed_at` TIMESTAMP(3) NOT NULL>,
  `kafka_partition` INT METADATA FROM 'partition' VIRTUAL,
  `kafka_offset` BIGINT METADATA FROM 'offset' VIRTUAL,
  `kafka_timestamp` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
  WATERMARK FOR `order_date` AS `order_date` - INTERVAL '1' MINUTE
) WITH (
  'connector' = 'kafka',
  'topic' = '{{prefix}}shipped_orders',
  'properties.bootstrap.servers' = '{{bootstrap}}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'key.format' = 'raw',
  'key.fields' = 'order_key',
  'value.format' = 'avro-confluent',
  'value.avro-confluent.url' = '{{registry}}',
  'value.avro-confluent.schema' = '{{schema:order.avsc}}',
  'value.fields-include' = 'EXCEPT_KEY'
);

-- finished_orders: the order at that stage, keyed by order_id.
CREATE TABLE IF NOT EXISTS `finished_orders` (
  `order_key` STRING NOT NULL,
  `order_id` STRING NOT NULL,
  `order_date` TIMESTAMP(3) NOT NULL,
  `customer_info` ROW<
    `customer_id` STRING NOT NULL, `customer_name` STRING NOT NULL, `company` STRING NOT NULL,
    `email` STRING NOT NULL, `street_address` STRING NOT NULL, `lgu` STRING NOT NULL,
    `provincial_code` STRING NOT NULL, `contact_number` STRING NOT NULL> NOT NULL,
  `payment_info` ROW<
    `payment_status` BOOLEAN NOT NULL, `payment_method` STRING, `payment_date` TIMESTAMP(3)> NOT NULL,
  `shipping_info` ROW<
    `shipping_id` STRING NOT NULL, `express_shipping` BOOLEAN NOT NULL, `order_status` STRING NOT NULL,
    `shipped_date` TIMESTAMP(3), `eta` TIMESTAMP(3), `finished_date` TIMESTAMP(3)> NOT NULL,
  `item_info` ARRAY<ROW<
    `sku` INT NOT NULL, `product_name` STRING NOT NULL, `category` STRING NOT NULL,
    `unit_price` DECIMAL(12, 2) NOT NULL, `quantity` INT NOT NULL,
    `discount_percent` DECIMAL(5, 2) NOT NULL, `subtotal` DECIMAL(12, 2) NOT NULL> NOT NULL> NOT NULL,
  `item_variety` INT NOT NULL,
  `order_total` DECIMAL(12, 2) NOT NULL,
  `failure` ROW<`stage` STRING NOT NULL, `reason` STRING NOT NULL, `failed_at` TIMESTAMP(3) NOT NULL>,
  `kafka_partition` INT METADATA FROM 'partition' VIRTUAL,
  `kafka_offset` BIGINT METADATA FROM 'offset' VIRTUAL,
  `kafka_timestamp` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
  WATERMARK FOR `order_date` AS `order_date` - INTERVAL '1' MINUTE
) WITH (
  'connector' = 'kafka',
  'topic' = '{{prefix}}finished_orders',
  'properties.bootstrap.servers' = '{{bootstrap}}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'key.format' = 'raw',
  'key.fields' = 'order_key',
  'value.format' = 'avro-confluent',
  'value.avro-confluent.url' = '{{registry}}',
  'value.avro-confluent.schema' = '{{schema:order.avsc}}',
  'value.fields-include' = 'EXCEPT_KEY'
);

-- failed_orders: the order at that stage, keyed by order_id.
CREATE TABLE IF NOT EXISTS `failed_orders` (
  `order_key` STRING NOT NULL,
  `order_id` STRING NOT NULL,
  `order_date` TIMESTAMP(3) NOT NULL,
  `customer_info` ROW<
    `customer_id` STRING NOT NULL, `customer_name` STRING NOT NULL, `company` STRING NOT NULL,
    `email` STRING NOT NULL, `street_address` STRING NOT NULL, `lgu` STRING NOT NULL,
    `provincial_code` STRING NOT NULL, `contact_number` STRING NOT NULL> NOT NULL,
  `payment_info` ROW<
    `payment_status` BOOLEAN NOT NULL, `payment_method` STRING, `payment_date` TIMESTAMP(3)> NOT NULL,
  `shipping_info` ROW<
    `shipping_id` STRING NOT NULL, `express_shipping` BOOLEAN NOT NULL, `order_status` STRING NOT NULL,
    `shipped_date` TIMESTAMP(3), `eta` TIMESTAMP(3), `finished_date` TIMESTAMP(3)> NOT NULL,
  `item_info` ARRAY<ROW<
    `sku` INT NOT NULL, `product_name` STRING NOT NULL, `category` STRING NOT NULL,
    `unit_price` DECIMAL(12, 2) NOT NULL, `quantity` INT NOT NULL,
    `discount_percent` DECIMAL(5, 2) NOT NULL, `subtotal` DECIMAL(12, 2) NOT NULL> NOT NULL> NOT NULL,
  `item_variety` INT NOT NULL,
  `order_total` DECIMAL(12, 2) NOT NULL,
  `failure` ROW<`stage` STRING NOT NULL, `reason` STRING NOT NULL, `failed_at` TIMESTAMP(3) NOT NULL>,
  `kafka_partition` INT METADATA FROM 'partition' VIRTUAL,
  `kafka_offset` BIGINT METADATA FROM 'offset' VIRTUAL,
  `kafka_timestamp` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
  WATERMARK FOR `order_date` AS `order_date` - INTERVAL '1' MINUTE
) WITH (
  'connector' = 'kafka',
  'topic' = '{{prefix}}failed_orders',
  'properties.bootstrap.servers' = '{{bootstrap}}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'key.format' = 'raw',
  'key.fields' = 'order_key',
  'value.format' = 'avro-confluent',
  'value.avro-confluent.url' = '{{registry}}',
  'value.avro-confluent.schema' = '{{schema:order.avsc}}',
  'value.fields-include' = 'EXCEPT_KEY'
);

-- The split topics (what the splitter, ksqlDB or the Flink job in flink/split.sql write for the sink).
CREATE TABLE IF NOT EXISTS `orders` (
  `order_key` STRING NOT NULL,
  `order_id` STRING,
  `order_date` TIMESTAMP(3),
  `customer_id` STRING,
  `lgu` STRING,
  `provincial_code` STRING,
  `payment_status` BOOLEAN,
  `payment_method` STRING,
  `payment_date` TIMESTAMP(3),
  `shipping_id` STRING,
  `express_shipping` BOOLEAN,
  `order_status` STRING,
  `shipped_date` TIMESTAMP(3),
  `eta` TIMESTAMP(3),
  `finished_date` TIMESTAMP(3),
  `item_variety` INT,
  `order_total` DECIMAL(12, 2),
  `failure_stage` STRING,
  `failure_reason` STRING,
  `failed_at` TIMESTAMP(3),
  `kafka_partition` INT METADATA FROM 'partition' VIRTUAL,
  `kafka_offset` BIGINT METADATA FROM 'offset' VIRTUAL,
  `kafka_timestamp` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
  WATERMARK FOR `order_date` AS `order_date` - INTERVAL '1' MINUTE
) WITH (
  'connector' = 'kafka',
  'topic' = '{{prefix}}orders',
  'properties.bootstrap.servers' = '{{bootstrap}}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'key.format' = 'raw',
  'key.fields' = 'order_key',
  'value.format' = 'avro-confluent',
  'value.avro-confluent.url' = '{{registry}}',
  'value.avro-confluent.schema' = '{{schema:split/orders.avsc}}',
  'value.fields-include' = 'EXCEPT_KEY'
);

CREATE TABLE IF NOT EXISTS `customers` (
  `customer_key` STRING NOT NULL,
  `customer_id` STRING,
  `customer_name` STRING,
  `company` STRING,
  `email` STRING,
  `street_address` STRING,
  `lgu` STRING,
  `provincial_code` STRING,
  `contact_number` STRING,
  `last_order_id` STRING,
  `as_of` TIMESTAMP(3),
  `kafka_partition` INT METADATA FROM 'partition' VIRTUAL,
  `kafka_offset` BIGINT METADATA FROM 'offset' VIRTUAL,
  `kafka_timestamp` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
  WATERMARK FOR `as_of` AS `as_of` - INTERVAL '1' MINUTE
) WITH (
  'connector' = 'kafka',
  'topic' = '{{prefix}}customers',
  'properties.bootstrap.servers' = '{{bootstrap}}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'key.format' = 'raw',
  'key.fields' = 'customer_key',
  'value.format' = 'avro-confluent',
  'value.avro-confluent.url' = '{{registry}}',
  'value.avro-confluent.schema' = '{{schema:split/customers.avsc}}',
  'value.fields-include' = 'EXCEPT_KEY'
);

CREATE TABLE IF NOT EXISTS `order_items` (
  `item_key` STRING NOT NULL,
  `item_id` STRING,
  `order_id` STRING,
  `order_date` TIMESTAMP(3),
  `order_status` STRING,
  `sku` INT,
  `product_name` STRING,
  `category` STRING,
  `unit_price` DECIMAL(12, 2),
  `quantity` INT,
  `discount_percent` DECIMAL(5, 2),
  `subtotal` DECIMAL(12, 2),
  `kafka_partition` INT METADATA FROM 'partition' VIRTUAL,
  `kafka_offset` BIGINT METADATA FROM 'offset' VIRTUAL,
  `kafka_timestamp` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
  WATERMARK FOR `order_date` AS `order_date` - INTERVAL '1' MINUTE
) WITH (
  'connector' = 'kafka',
  'topic' = '{{prefix}}order_items',
  'properties.bootstrap.servers' = '{{bootstrap}}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'key.format' = 'raw',
  'key.fields' = 'item_key',
  'value.format' = 'avro-confluent',
  'value.avro-confluent.url' = '{{registry}}',
  'value.avro-confluent.schema' = '{{schema:split/order_items.avsc}}',
  'value.fields-include' = 'EXCEPT_KEY'
);

-- Dead letters: raw bytes (a record that could not be decoded is not Avro, or not of its schema),
-- with the headers that name the error, stage and source offset: CAST(`headers`['orderflow.error'] AS STRING).
CREATE TABLE IF NOT EXISTS `unpaid_orders_dlq` (
  `record_key` STRING,
  `record_value` BYTES,
  `headers` MAP<STRING, BYTES> METADATA VIRTUAL,
  `kafka_partition` INT METADATA FROM 'partition' VIRTUAL,
  `kafka_offset` BIGINT METADATA FROM 'offset' VIRTUAL,
  `kafka_timestamp` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL
) WITH (
  'connector' = 'kafka',
  'topic' = '{{prefix}}unpaid_orders.dlq',
  'properties.bootstrap.servers' = '{{bootstrap}}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'key.format' = 'raw',
  'key.fields' = 'record_key',
  'value.format' = 'raw',
  'value.fields-include' = 'EXCEPT_KEY'
);

CREATE TABLE IF NOT EXISTS `paid_orders_dlq` (
  `record_key` STRING,
  `record_value` BYTES,
  `headers` MAP<STRING, BYTES> METADATA VIRTUAL,
  `kafka_partition` INT METADATA FROM 'partition' VIRTUAL,
  `kafka_offset` BIGINT METADATA FROM 'offset' VIRTUAL,
  `kafka_timestamp` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL
) WITH (
  'connector' = 'kafka',
  'topic' = '{{prefix}}paid_orders.dlq',
  'properties.bootstrap.servers' = '{{bootstrap}}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'key.format' = 'raw',
  'key.fields' = 'record_key',
  'value.format' = 'raw',
  'value.fields-include' = 'EXCEPT_KEY'
);

CREATE TABLE IF NOT EXISTS `shipped_orders_dlq` (
  `record_key` STRING,
  `record_value` BYTES,
  `headers` MAP<STRING, BYTES> METADATA VIRTUAL,
  `kafka_partition` INT METADATA FROM 'partition' VIRTUAL,
  `kafka_offset` BIGINT METADATA FROM 'offset' VIRTUAL,
  `kafka_timestamp` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL
) WITH (
  'connector' = 'kafka',
  'topic' = '{{prefix}}shipped_orders.dlq',
  'properties.bootstrap.servers' = '{{bootstrap}}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'key.format' = 'raw',
  'key.fields' = 'record_key',
  'value.format' = 'raw',
  'value.fields-include' = 'EXCEPT_KEY'
);

CREATE TABLE IF NOT EXISTS `finished_orders_dlq` (
  `record_key` STRING,
  `record_value` BYTES,
  `headers` MAP<STRING, BYTES> METADATA VIRTUAL,
  `kafka_partition` INT METADATA FROM 'partition' VIRTUAL,
  `kafka_offset` BIGINT METADATA FROM 'offset' VIRTUAL,
  `kafka_timestamp` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL
) WITH (
  'connector' = 'kafka',
  'topic' = '{{prefix}}finished_orders.dlq',
  'properties.bootstrap.servers' = '{{bootstrap}}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'key.format' = 'raw',
  'key.fields' = 'record_key',
  'value.format' = 'raw',
  'value.fields-include' = 'EXCEPT_KEY'
);

CREATE TABLE IF NOT EXISTS `failed_orders_dlq` (
  `record_key` STRING,
  `record_value` BYTES,
  `headers` MAP<STRING, BYTES> METADATA VIRTUAL,
  `kafka_partition` INT METADATA FROM 'partition' VIRTUAL,
  `kafka_offset` BIGINT METADATA FROM 'offset' VIRTUAL,
  `kafka_timestamp` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL
) WITH (
  'connector' = 'kafka',
  'topic' = '{{prefix}}failed_orders.dlq',
  'properties.bootstrap.servers' = '{{bootstrap}}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'key.format' = 'raw',
  'key.fields' = 'record_key',
  'value.format' = 'raw',
  'value.fields-include' = 'EXCEPT_KEY'
);

-- What the JDBC sink connectors could not write.
CREATE TABLE IF NOT EXISTS `orderflow_sink_dlq` (
  `record_key` STRING,
  `record_value` BYTES,
  `headers` MAP<STRING, BYTES> METADATA VIRTUAL,
  `kafka_partition` INT METADATA FROM 'partition' VIRTUAL,
  `kafka_offset` BIGINT METADATA FROM 'offset' VIRTUAL,
  `kafka_timestamp` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL
) WITH (
  'connector' = 'kafka',
  'topic' = '{{prefix}}orderflow_sink.dlq',
  'properties.bootstrap.servers' = '{{bootstrap}}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'key.format' = 'raw',
  'key.fields' = 'record_key',
  'value.format' = 'raw',
  'value.fields-include' = 'EXCEPT_KEY'
);
