-- Finished and failed orders in one stream, so each split below is written once. Both sources carry
-- the same order record (failure is null on finished orders), so their columns line up.
SET 'auto.offset.reset' = 'earliest';
SET 'processing.guarantee' = 'exactly_once_v2';

CREATE STREAM IF NOT EXISTS `landed_orders`
  WITH (KAFKA_TOPIC = 'ksql_landed_orders', KEY_FORMAT = 'KAFKA', VALUE_FORMAT = 'AVRO')
  AS SELECT * FROM `finished_orders_src`;

INSERT INTO `landed_orders` SELECT * FROM `failed_orders_src`;
