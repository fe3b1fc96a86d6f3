/**
 * The catalog's tables, generated from the schemas: one table per lifecycle topic with the columns
 * of schemas/order.avsc, one per other Avro topic with the columns of its own .avsc, and one
 * raw-bytes table per dead-letter topic, from the topic list in schemas/topics.ts. flink/catalog.sql
 * holds them as {{lifecycle-tables}}, {{avro-table:...}} and {{dlq-tables}}; the
 * placeholders they contain ({{prefix}}, {{bootstrap}}, {{registry}}, {{schema:...}}) are filled in
 * afterwards like the rest of the file. Pure: no I/O.
 */
import { dlqTopic, SINK_DLQ_TOPIC, TOPICS } from '../schemas/topics.ts';

/** The parts of an Avro schema (parsed JSON) that the catalog maps. */
export type AvroType =
  | string
  | AvroType[]
  | {
      type: string | AvroType[];
      name?: string;
      logicalType?: string;
      precision?: number;
      scale?: number;
      fields?: { name: string; type: AvroType }[];
      items?: AvroType;
    };

/**
 * The Flink SQL type of an Avro type: records as ROW, arrays as ARRAY, enums as STRING (their
 * symbols), timestamp-millis as TIMESTAMP(3), decimals as DECIMAL(p, s); a union with null is the
 * nullable type, anything else NOT NULL.
 */
export function flinkType(t: AvroType): string {
  if (Array.isArray(t)) {
    const other = t.filter((x) => x !== 'null');
    if (other.length !== 1 || other.length === t.length)
      throw new Error(`only unions of null and one type map to Flink SQL, got ${JSON.stringify(t)}`);
    return baseType(other[0]!);
  }
  return `${baseType(t)} NOT NULL`;
}

function baseType(t: AvroType): string {
  if (Array.isArray(t)) throw new Error(`a nested union does not map to Flink SQL: ${JSON.stringify(t)}`);
  if (typeof t === 'string') {
    const primitive: Record<string, string> = {
      string: 'STRING',
      boolean: 'BOOLEAN',
      int: 'INT',
      long: 'BIGINT',
      float: 'FLOAT',
      double: 'DOUBLE',
      bytes: 'BYTES',
    };
    const mapped = primitive[t];
    if (!mapped) throw new Error(`Avro type ${t} has no Flink SQL mapping here (named types are inlined)`);
    return mapped;
  }
  if (t.logicalType === 'timestamp-millis') return 'TIMESTAMP(3)';
  if (t.logicalType === 'decimal') return `DECIMAL(${t.precision}, ${t.scale ?? 0})`;
  if (typeof t.type !== 'string') return baseType(t.type);
  if (t.type === 'record') return `ROW<${(t.fields ?? []).map((f) => column(f.name, f.type)).join(', ')}>`;
  if (t.type === 'array') return `ARRAY<${flinkType(t.items!)}>`;
  if (t.type === 'enum') return 'STRING';
  return baseType(t.type);
}

function column(name: string, type: AvroType): string {
  return `\`${name}\` ${flinkType(type)}`;
}

/** A topic's table name: lower case, dots as underscores (paid_orders.dlq is paid_orders_dlq). */
export function tableName(topic: string): string {
  return topic.replaceAll('.', '_');
}

const METADATA = [
  "`kafka_partition` INT METADATA FROM 'partition' VIRTUAL",
  "`kafka_offset` BIGINT METADATA FROM 'offset' VIRTUAL",
  "`kafka_timestamp` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL",
];

const SOURCE = [
  "'connector' = 'kafka'",
  "'properties.bootstrap.servers' = '{{bootstrap}}'",
  "'properties.isolation.level' = 'read_committed'",
  "'scan.startup.mode' = 'earliest-offset'",
  "'key.format' = 'raw'",
];

/**
 * The columns every table over an event stream ends with: the Kafka metadata, then a watermark one
 * minute behind the event time in `eventTime`.
 */
export function streamColumns(eventTime: string): string[] {
  return [...METADATA, `WATERMARK FOR \`${eventTime}\` AS \`${eventTime}\` - INTERVAL '1' MINUTE`];
}

function createTable(comment: string | null, table: string, columns: string[], options: string[]): string {
  return [
    ...(comment === null ? [] : [`-- ${comment}`]),
    `CREATE TABLE IF NOT EXISTS \`${table}\` (`,
    columns.map((c) => `  ${c}`).join(',\n'),
    ') WITH (',
    options.map((o) => `  ${o}`).join(',\n'),
    ');',
  ].join('\n');
}

/**
 * The WITH options of a table over a topic of Avro values with a plain string key: the topic (under
 * {{prefix}}), the key column, and the .avsc under schemas/ that reads the values.
 */
export function avroSourceOptions(topic: string, keyColumn: string, schemaFile: string): string[] {
  return [
    ...SOURCE.slice(0, 1),
    `'topic' = '{{prefix}}${topic}'`,
    ...SOURCE.slice(1),
    `'key.fields' = '${keyColumn}'`,
    "'value.format' = 'avro-confluent'",
    "'value.avro-confluent.url' = '{{registry}}'",
    `'value.avro-confluent.schema' = '{{schema:${schemaFile}}}'`,
    "'value.fields-include' = 'EXCEPT_KEY'",
  ];
}

/** The lifecycle topics: those whose values are whole orders. */
export const LIFECYCLE = Object.values(TOPICS).filter((t) => t.schema === 'order.avsc');

/** The dead-letter topics: each lifecycle topic's .dlq twin and the sink's. */
export const DEAD_LETTERS = [
  ...Object.values(TOPICS)
    .filter((t) => t.dlq)
    .map((t) => dlqTopic(t.name)),
  SINK_DLQ_TOPIC,
];

/** The fields of a record schema (an error if it is not a record). */
function recordFields(schema: AvroType, what: string): { name: string; type: AvroType }[] {
  if (typeof schema !== 'object' || Array.isArray(schema) || !schema.fields)
    throw new Error(`the ${what} schema must be a record`);
  return schema.fields;
}

/**
 * The columns of a table over a topic of Avro values: the plain string key as `keyColumn`, every
 * field of the value schema as a column, the Kafka metadata and a watermark on `eventTime`.
 */
function avroColumns(keyColumn: string, schema: AvroType, what: string, eventTime: string): string[] {
  return [
    `\`${keyColumn}\` STRING NOT NULL`,
    ...recordFields(schema, what).map((f) => column(f.name, f.type)),
    ...streamColumns(eventTime),
  ];
}

/**
 * One table over a topic of Avro values (the split topics, the cart events): named after the topic,
 * with the columns of its schema (schemas/`schemaFile`) and the options that read it with that schema.
 */
export function avroTable(
  topic: string,
  keyColumn: string,
  schemaFile: string,
  schema: AvroType,
  eventTime: string,
): string {
  return createTable(
    null,
    tableName(topic),
    avroColumns(keyColumn, schema, schemaFile, eventTime),
    avroSourceOptions(topic, keyColumn, schemaFile),
  );
}

/**
 * One table per lifecycle topic: the key as `order_key`, every field of the order schema as a
 * column, the Kafka metadata, a watermark on order_date; values read with the .avsc as reader schema.
 */
export function lifecycleTables(orderSchema: AvroType): string {
  return LIFECYCLE.map((t) =>
    createTable(
      `${t.name}: the order at that stage, keyed by order_id.`,
      tableName(t.name),
      avroColumns('order_key', orderSchema, 'order', 'order_date'),
      avroSourceOptions(t.name, 'order_key', t.schema),
    ),
  ).join('\n\n');
}

/** One table per dead-letter topic: key and value as they are, the headers naming the error. */
export function deadLetterTables(): string {
  return DEAD_LETTERS.map((topic) =>
    createTable(
      topic === SINK_DLQ_TOPIC
        ? `${topic}: what the JDBC sink connectors could not write.`
        : `${topic}: what the stage reading ${topic.replace(/\.dlq$/, '')} could not process.`,
      tableName(topic),
      [
        '`record_key` STRING',
        '`record_value` BYTES',
        '`headers` MAP<STRING, BYTES> METADATA VIRTUAL',
        ...METADATA,
      ],
      [
        ...SOURCE.slice(0, 1),
        `'topic' = '{{prefix}}${topic}'`,
        ...SOURCE.slice(1),
        "'key.fields' = 'record_key'",
        "'value.format' = 'raw'",
        "'value.fields-include' = 'EXCEPT_KEY'",
      ],
    ),
  ).join('\n\n');
}
