import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  avroTable,
  DEAD_LETTERS,
  deadLetterTables,
  flinkType,
  lifecycleTables,
  type AvroType,
} from '../../../common/flink-catalog-ddl.ts';
import { catalogStatements } from '../../../common/flink-catalog.ts';
import { tableOf } from '../../../common/flink-missing-topics.ts';
import { allTopicNames, TOPICS } from '../../../schemas/topics.ts';

const orderSchema = JSON.parse(
  readFileSync(new URL('../../../schemas/order.avsc', import.meta.url), 'utf8'),
) as AvroType;

interface Field {
  name: string;
  type: AvroType;
}

/** Every field of a schema as a dotted path (nested records and array items included). */
function fieldPaths(t: AvroType, prefix = ''): string[] {
  if (Array.isArray(t)) return t.flatMap((x) => fieldPaths(x, prefix));
  if (typeof t === 'string') return [];
  if (typeof t.type !== 'string') return fieldPaths(t.type, prefix);
  if (t.type === 'array') return fieldPaths(t.items!, prefix);
  if (t.type !== 'record') return [];
  return (t.fields as Field[]).flatMap((f) => [
    `${prefix}${f.name}`,
    ...fieldPaths(f.type, `${prefix}${f.name}.`),
  ]);
}

/** The column paths of a Flink column list (`a` T, `b` ROW<`c` T, ...>, ...), nested ROWs included. */
function columnPaths(columns: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  let last = '';
  const re = /`(\w+)`|<|>/g;
  for (const m of columns.matchAll(re)) {
    if (m[0] === '<') {
      stack.push(last);
      last = ''; // ARRAY<ROW<...>>: the row has no name of its own
    } else if (m[0] === '>') stack.pop();
    else {
      last = m[1]!;
      out.push([...stack.filter((s) => s !== ''), last].join('.'));
    }
  }
  return out;
}

describe('the generated catalog tables', () => {
  const lifecycle = lifecycleTables(orderSchema).split(/\n\n(?=-- )/);

  it('declare one table per lifecycle topic, each with every field of order.avsc', () => {
    const names = Object.values(TOPICS)
      .filter((t) => t.schema === 'order.avsc')
      .map((t) => t.name);
    expect(names).toHaveLength(5);
    expect(lifecycle.map((t) => tableOf(t)?.table)).toEqual(names);
    const expected = fieldPaths(orderSchema);
    expect(expected).toContain('item_info.subtotal');
    expect(expected).toContain('failure.failed_at');
    for (const ddl of lifecycle) {
      const columns = ddl.slice(ddl.indexOf('(') + 1, ddl.indexOf(') WITH ('));
      const paths = columnPaths(
        columns
          .split('\n')
          .filter((l) => !/METADATA|WATERMARK/.test(l))
          .join('\n'),
      );
      // Array items are rows without a name of their own: item_info's fields sit under item_info.
      expect(paths).toEqual(['order_key', ...expected]);
    }
  });

  it('map Avro types to Flink SQL types, nullability included', () => {
    expect(flinkType({ type: 'long', logicalType: 'timestamp-millis' })).toBe('TIMESTAMP(3) NOT NULL');
    expect(flinkType(['null', { type: 'long', logicalType: 'timestamp-millis' }])).toBe('TIMESTAMP(3)');
    expect(flinkType({ type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 })).toBe(
      'DECIMAL(12, 2) NOT NULL',
    );
    expect(flinkType(['null', { type: 'enum', name: 'E', symbols: ['A'] } as AvroType])).toBe('STRING');
    expect(
      flinkType({ type: 'array', items: { type: 'record', fields: [{ name: 'sku', type: 'int' }] } }),
    ).toBe('ARRAY<ROW<`sku` INT NOT NULL> NOT NULL> NOT NULL');
    expect(() => flinkType(['string', 'int'])).toThrow(/unions of null and one type/);
    const ddl = lifecycle[0]!;
    expect(ddl).toContain('`order_total` DECIMAL(12, 2) NOT NULL,');
    expect(ddl).toContain(
      '`failure` ROW<`stage` STRING NOT NULL, `reason` STRING NOT NULL, `failed_at` TIMESTAMP(3) NOT NULL>,',
    );
    expect(ddl).toContain("WATERMARK FOR `order_date` AS `order_date` - INTERVAL '1' MINUTE");
  });

  it('declare a table over any other Avro topic with the columns of its own schema', () => {
    const schema = JSON.parse(
      readFileSync(new URL('../../../schemas/cart_event.avsc', import.meta.url), 'utf8'),
    ) as AvroType;
    const ddl = avroTable('cart_events', 'cart_key', 'cart_event.avsc', schema, 'event_time');
    expect(tableOf(ddl)).toEqual({ table: 'cart_events', topic: '{{prefix}}cart_events' });
    const columns = ddl.slice(ddl.indexOf('(') + 1, ddl.indexOf(') WITH ('));
    expect(columnPaths(columns.replace(/.*(METADATA|WATERMARK).*\n?/g, ''))).toEqual([
      'cart_key',
      ...fieldPaths(schema),
    ]);
    // A field that is not a union with null is NOT NULL; an enum reads as its symbol.
    expect(ddl).toContain('`event_type` STRING NOT NULL,');
    expect(ddl).toContain('`customer_id` STRING,');
    expect(ddl).toContain("'key.fields' = 'cart_key'");
    expect(ddl).toContain("'value.avro-confluent.schema' = '{{schema:cart_event.avsc}}'");
    expect(ddl).toContain("WATERMARK FOR `event_time` AS `event_time` - INTERVAL '1' MINUTE");
    expect(() => avroTable('t', 'k', 'x.avsc', 'string', 'e')).toThrow(/must be a record/);
  });

  it('declare a table for every dead-letter topic the project creates', () => {
    const dlqs = allTopicNames().filter((t) => t.endsWith('.dlq'));
    expect(DEAD_LETTERS.sort()).toEqual(dlqs.sort());
    const tables = deadLetterTables()
      .split(/\n\n(?=-- )/)
      .map((t) => tableOf(t));
    expect(tables).toHaveLength(6);
    expect(tables.map((t) => t?.topic).sort()).toEqual(dlqs.map((t) => `{{prefix}}${t}`).sort());
  });

  it('end up in the rendered catalog: every topic of the project is a table', () => {
    const stmts = catalogStatements({
      prefix: 'p_',
      bootstrap: 'b:9092',
      registry: 'http://r/apis/ccompat/v7',
    });
    const topics = stmts.map((s) => tableOf(s)?.topic).filter((t) => t !== undefined);
    expect(topics.sort()).toEqual(allTopicNames('p_').sort());
    expect(stmts.join('\n')).not.toMatch(/\{\{/);
  });
});
