/**
 * The ksqlDB statements and the splitter are two implementations of one split. This test reads the
 * statements, checks them against the split topics' Avro schemas and the traps ksqlDB sets, then
 * runs both on the same orders and requires the same topics, keys and values.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSchema } from '../../../common/serde.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { TOPICS } from '../../../schemas/topics.ts';
import { split } from '../../../splitter/split.ts';
import { failedOrders, finishedOrders, tillSale } from '../splitter/sample-orders.ts';
import { containsExplode, keyColumnOf, run, valueColumnsOf } from './ksql-evaluation.ts';
import { type DerivedStream, readMigrations } from './ksql-statements.ts';

const MIGRATIONS = fileURLToPath(new URL('../../../ksql/migrations', import.meta.url));
const { files, streams } = readMigrations(MIGRATIONS);

const SPLITS = [
  { topic: TOPICS.orders, key: 'order_id', part: 'orders' },
  { topic: TOPICS.customers, key: 'customer_id', part: 'customers' },
  { topic: TOPICS.orderItems, key: 'item_id', part: 'orderItems' },
] as const;

function avsc(file: string): { fullName: string; fields: string[] } {
  const schema = JSON.parse(readSchema(file)) as {
    name: string;
    namespace: string;
    fields: { name: string }[];
  };
  return { fullName: `${schema.namespace}.${schema.name}`, fields: schema.fields.map((f) => f.name) };
}

function streamWritingTopic(topic: string): DerivedStream {
  const found = [...streams.values()].filter((s) => s.kind === 'derived' && s.with.KAFKA_TOPIC === topic);
  expect(found, `exactly one statement writes ${topic}`).toHaveLength(1);
  return found[0] as DerivedStream;
}

describe('ksql migrations', () => {
  it('are numbered V000001.. without gaps', () => {
    expect(files.length).toBeGreaterThan(0);
    files.forEach((f, i) => expect(f.startsWith(`V${String(i + 1).padStart(6, '0')}__`)).toBe(true));
  });

  it('read finished_orders and failed_orders as Avro values with plain string keys', () => {
    // The split topics derive from one source stream over each final topic. (A replacing upgrade
    // leaves earlier source streams in place, with no split reading them: see V000006.)
    const lineage = new Set<string>();
    const visit = (name: string): void => {
      const s = streams.get(name);
      if (!s || lineage.has(name)) return;
      lineage.add(name);
      if (s.kind === 'derived') [s.from, ...s.insertedFrom].forEach(visit);
    };
    for (const { topic } of SPLITS) visit(streamWritingTopic(topic.name).name);
    const feeding = [...lineage].map((n) => streams.get(n)!).filter((s) => s.kind === 'source');
    expect(feeding.map((s) => s.with.KAFKA_TOPIC).sort()).toEqual([TOPICS.failed.name, TOPICS.finished.name]);
    const sources = [...streams.values()].filter((s) => s.kind === 'source');
    for (const s of sources) {
      expect([TOPICS.failed.name, TOPICS.finished.name]).toContain(s.with.KAFKA_TOPIC);
      expect(s.with).toMatchObject({ VALUE_FORMAT: 'AVRO', KEY_FORMAT: 'KAFKA' });
    }
  });

  it('run every query from the earliest offset with exactly-once processing', () => {
    for (const s of streams.values()) {
      if (s.kind !== 'derived') continue;
      expect(s.settings, s.name).toMatchObject({
        'auto.offset.reset': 'earliest',
        'processing.guarantee': 'exactly_once_v2',
      });
    }
  });

  it('write lower-case topics and backticked lower-case columns', () => {
    for (const s of streams.values()) {
      if (s.kind !== 'derived') continue;
      expect(s.with.KAFKA_TOPIC).toMatch(/^[a-z0-9_]+$/);
      expect(s.with).toMatchObject({ VALUE_FORMAT: 'AVRO', KEY_FORMAT: 'KAFKA' });
      for (const item of s.items) {
        if (item.name === '*') continue;
        expect(item.aliasQuoted, `${s.name}.${item.name} is backticked`).toBe(true);
        expect(item.name).toMatch(/^[a-z0-9_]+$/);
      }
    }
  });

  it('never EXPLODE and PARTITION BY in one statement', () => {
    for (const s of streams.values()) {
      if (s.kind !== 'derived') continue;
      const explodes = s.items.some((it) => containsExplode(it.expr));
      expect(explodes && s.partitionBy !== null, `${s.name} explodes and re-keys at once`).toBe(false);
    }
  });

  for (const { topic, key } of SPLITS) {
    it(`write ${topic.name} with the columns, key and record name of ${topic.schema}`, () => {
      const stream = streamWritingTopic(topic.name);
      const schema = avsc(topic.schema);
      expect(stream.with.VALUE_AVRO_SCHEMA_FULL_NAME).toBe(schema.fullName);
      expect(valueColumnsOf(stream, streams)).toEqual(schema.fields);
      // The key is the partition expression, and AS_VALUE keeps the same expression in the value.
      expect(stream.partitionByText, `${topic.name} is re-keyed`).not.toBeNull();
      const keyColumn = keyColumnOf(stream, streams);
      const copy = stream.items.find((it) => it.name === key);
      expect(copy?.expr).toEqual({ kind: 'call', fn: 'AS_VALUE', args: [stream.partitionBy] });
      expect(keyColumn).not.toBe(key);
    });
  }
});

describe('ksql statements and the splitter', () => {
  const toRows = (orders: Order[]) =>
    orders.map((o) => ({ key: o.order_id, value: o as unknown as Record<string, unknown> }));
  // A store order carries the 0.4.0 columns (channel, store_id, tender, VAT); an empty basket
  // explodes to no order_items rows on both sides.
  const finished: Order[] = [
    ...finishedOrders,
    tillSale,
    { ...finishedOrders[0]!, order_id: 'EMPTY-BASKET', item_info: [], item_variety: 0, order_total: '0.00' },
  ];
  const ksqlOut = run(streams, {
    [TOPICS.finished.name]: toRows(finished),
    [TOPICS.failed.name]: toRows(failedOrders),
  });
  const splitterOut = [...finished, ...failedOrders].map(split);

  for (const { topic, part } of SPLITS) {
    it(`write the same keys and values to ${topic.name}`, () => {
      const fromKsql = ksqlOut.get(topic.name);
      const fromSplitter: [string, unknown][] = splitterOut.flatMap((s): [string, unknown][] =>
        part === 'orderItems' ? s.orderItems : [s[part]],
      );
      expect(fromKsql).toBeDefined();
      expect(fromKsql!.length).toBeGreaterThan(0);
      expect(fromKsql).toEqual(fromSplitter.map(([k, value]) => ({ key: k, value })));
    });
  }

  it('would notice a column renamed on one side only', () => {
    const stream = streamWritingTopic(TOPICS.orders.name);
    const renamed = new Map(streams);
    renamed.set(stream.name, {
      ...stream,
      items: stream.items.map((it) => (it.name === 'lgu' ? { ...it, name: 'city' } : it)),
    });
    const out = run(renamed, { [TOPICS.finished.name]: toRows(finishedOrders) });
    expect(out.get(TOPICS.orders.name)).not.toEqual([
      { key: finishedOrders[0]!.order_id, value: split(finishedOrders[0]!).orders[1] },
    ]);
    expect(valueColumnsOf(renamed.get(stream.name) as DerivedStream, renamed)).not.toEqual(
      avsc(TOPICS.orders.schema).fields,
    );
  });
});
