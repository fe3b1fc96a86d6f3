import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSchema } from '../../../common/serde.ts';
import { APICURIO_CONVERTER } from '../../../connect/settings.ts';
import {
  converterRegistryUrl,
  fill,
  jdbcFromDatabaseUrl,
  renderSinks,
  SINKS_DIR,
  sinkFiles,
  type SinkValues,
} from '../../../connect/sink-config.ts';
import { SINK_DLQ_TOPIC, TOPICS } from '../../../schemas/topics.ts';

const local: SinkValues = {
  topicPrefix: 't42_',
  warehouseSchema: 't42',
  replicationFactor: 1,
  valueConverter: APICURIO_CONVERTER,
  registryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7',
  converterRegistryUrl: '',
  databaseUrl: 'postgres://orderflow:s3cr%40t@127.0.0.1:5544/orderflow',
  jdbcUrl: '',
  jdbcUser: '',
  jdbcPassword: '',
};

const keys = { orders: 'order_id', customers: 'customer_id', order_items: 'item_id' } as const;

describe('sink connector files', () => {
  it('exist once per split topic and for the cart events', () => {
    expect(sinkFiles()).toEqual([
      `${TOPICS.cartEvents.name}.json`,
      `${TOPICS.customers.name}.json`,
      `${TOPICS.orderItems.name}.json`,
      `${TOPICS.orders.name}.json`,
    ]);
  });

  it('upsert each split topic into its table by the record key, with no auto-created tables', () => {
    for (const c of renderSinks(local).filter((s) => !s.config.topics!.endsWith(TOPICS.cartEvents.name))) {
      const topic = c.config.topics!.slice('t42_'.length) as keyof typeof keys;
      expect(c.name).toBe(`t42_orderflow-sink-${topic}`);
      expect(c.config).toMatchObject({
        'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
        'insert.mode': 'upsert',
        'primary.key.mode': 'record_key',
        'primary.key.fields': keys[topic],
        // A null (or empty) value fails the first transform, so it is dead-lettered, not skipped;
        // Debezium 3.6 casts a record_key key to a Struct: the string key is wrapped into one.
        transforms: 'rejectTombstone,keyAsStruct',
        'transforms.rejectTombstone.type': 'org.apache.kafka.connect.transforms.ValueToKey',
        'transforms.rejectTombstone.predicate': 'isTombstone',
        predicates: 'isTombstone',
        'predicates.isTombstone.type': 'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone',
        'transforms.keyAsStruct.type': 'org.apache.kafka.connect.transforms.HoistField$Key',
        'transforms.keyAsStruct.field': keys[topic],
        'schema.evolution': 'none',
        'collection.name.format': `t42.${topic}`,
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'consumer.override.isolation.level': 'read_committed',
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': `t42_${SINK_DLQ_TOPIC}`,
        'errors.deadletterqueue.topic.replication.factor': '1',
        'errors.deadletterqueue.context.headers.enable': 'true',
      });
      // The key column is a field of the topic's value schema (the table's primary key).
      const schema = JSON.parse(readSchema(`split/${topic}.avsc`)) as { fields: { name: string }[] };
      expect(schema.fields.map((f) => f.name)).toContain(keys[topic]);
    }
  });

  it('upsert the cart events by (cart_id, seq) from the value: the key (cart_id) is shared by a cart', () => {
    const c = renderSinks(local).find((s) => s.config.topics === `t42_${TOPICS.cartEvents.name}`)!;
    expect(c.name).toBe('t42_orderflow-sink-cart_events');
    expect(c.config).toMatchObject({
      'insert.mode': 'upsert',
      'primary.key.mode': 'record_value',
      'primary.key.fields': 'cart_id,seq',
      transforms: 'rejectTombstone',
      'transforms.rejectTombstone.predicate': 'isTombstone',
      'schema.evolution': 'none',
      'collection.name.format': 't42.cart_events',
      'consumer.override.isolation.level': 'read_committed',
      'errors.deadletterqueue.topic.name': `t42_${SINK_DLQ_TOPIC}`,
    });
    expect(c.config).not.toHaveProperty('transforms.keyAsStruct.type');
    const schema = JSON.parse(readSchema(TOPICS.cartEvents.schema)) as { fields: { name: string }[] };
    expect(schema.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['cart_id', 'seq']));
  });

  it('ride out a registry or PostgreSQL outage instead of dead-lettering or failing (issue 19)', () => {
    for (const c of renderSinks(local)) {
      expect(c.config).toMatchObject({
        // Schemas by content id never change: keep them, and serve the cached one if a refresh fails.
        'value.converter.apicurio.registry.check-period-ms': '86400000',
        'value.converter.apicurio.registry.fault-tolerant-refresh': 'true',
        // A lost database connection is reopened and the flush retried for 5 minutes (60 x 5 s).
        'connection.restart.on.errors': 'true',
        'flush.max.retries': '60',
        'flush.retry.delay.ms': '5000',
        // Retriable conversion/transform errors are retried for 10 minutes before the DLQ.
        'errors.retry.timeout': '600000',
        'errors.retry.delay.max.ms': '10000',
      });
    }
  });

  it('point the Apicurio converter at the native API, reading the Confluent framing by content id', () => {
    const [c] = renderSinks(local);
    expect(c!.config).toMatchObject({
      'value.converter': APICURIO_CONVERTER,
      'value.converter.apicurio.registry.url': 'http://127.0.0.1:8081/apis/registry/v2',
      'value.converter.apicurio.registry.use-id': 'contentId',
      'value.converter.apicurio.registry.headers.enabled': 'false',
      'value.converter.apicurio.registry.as-confluent': 'true',
    });
  });

  it('fill the database from ORDERFLOW_DATABASE_URL unless told otherwise', () => {
    const [c] = renderSinks(local);
    expect(c!.config).toMatchObject({
      'connection.url': 'jdbc:postgresql://127.0.0.1:5544/orderflow',
      'connection.username': 'orderflow',
      'connection.password': 's3cr@t',
    });
    const [d] = renderSinks({
      ...local,
      jdbcUrl: 'jdbc:postgresql://postgres:5432/orderflow',
      jdbcUser: 'sink',
    });
    expect(d!.config['connection.url']).toBe('jdbc:postgresql://postgres:5432/orderflow');
    expect(d!.config['connection.username']).toBe('sink');
  });

  it('serve docker-compose with Confluent’s converter and registry unchanged', () => {
    const confluent = 'io.confluent.connect.avro.AvroConverter';
    expect(converterRegistryUrl('http://schema-registry:8081', confluent)).toBe(
      'http://schema-registry:8081',
    );
    const [c] = renderSinks({
      ...local,
      valueConverter: confluent,
      registryUrl: 'http://schema-registry:8081',
    });
    expect(c!.config['value.converter']).toBe(confluent);
    expect(c!.config['value.converter.schema.registry.url']).toBe('http://schema-registry:8081');
  });

  it('leave no placeholder unfilled and reject unknown ones', () => {
    for (const f of sinkFiles()) {
      const text = readFileSync(SINKS_DIR + f, 'utf8');
      expect(text).toMatch(/\$\{TOPIC_PREFIX\}/);
    }
    for (const c of renderSinks(local)) expect(JSON.stringify(c)).not.toMatch(/\$\{/);
    expect(() => fill('{"a":"${NOPE}"}', {}, 'x.json')).toThrow(/unknown placeholder/);
  });

  it('escape filled values as JSON', () => {
    expect(JSON.parse(fill('{"p":"${P}"}', { P: 'a"b\\c' }, 'x.json'))).toEqual({ p: 'a"b\\c' });
  });

  it('parse a postgres URL without a port or password', () => {
    expect(jdbcFromDatabaseUrl('postgres://me@db/wh')).toEqual({
      url: 'jdbc:postgresql://db:5432/wh',
      user: 'me',
      password: '',
    });
  });
});
