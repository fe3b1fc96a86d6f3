-- The two final topics of the order lifecycle, read as streams. Value columns are inferred from the
-- registry (subjects finished_orders-value and failed_orders-value); ksqlDB upper-cases inferred
-- names, so the statements below refer to them unquoted and alias every output column in
-- backticked lower case. The key (order_id as a plain string) is declared under its own name so it
-- does not clash with the order_id value column.
SET 'auto.offset.reset' = 'earliest';
SET 'processing.guarantee' = 'exactly_once_v2';

CREATE STREAM IF NOT EXISTS `finished_orders_src` (`order_key` STRING KEY)
  WITH (KAFKA_TOPIC = 'finished_orders', KEY_FORMAT = 'KAFKA', VALUE_FORMAT = 'AVRO');

CREATE STREAM IF NOT EXISTS `failed_orders_src` (`order_key` STRING KEY)
  WITH (KAFKA_TOPIC = 'failed_orders', KEY_FORMAT = 'KAFKA', VALUE_FORMAT = 'AVRO');
