import { describe, expect, it } from 'vitest';
import { murmur2, partitionFor } from '../../../dashboard/kafka/murmur2.ts';
import { diffFields, flattenFields } from '../../../dashboard/kafka/schemas.ts';
import { fieldText, showDate, toJson } from '../../../dashboard/kafka/record-json.ts';
import { pipelineTopics } from '../../../dashboard/kafka/context.ts';
import { pipelineNames } from '../../../common/names.ts';

describe('murmur2 (Kafka default partitioner)', () => {
  it("matches the Java client's test vectors", () => {
    // org.apache.kafka.common.utils.UtilsTest#testMurmur2
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of cases) expect(murmur2(Buffer.from(key)), key).toBe(hash);
    expect(partitionFor('21', 6)).toBe((-973932308 & 0x7fffffff) % 6);
  });
});

describe('schema fields and diffs', () => {
  const v1 = {
    type: 'record',
    name: 'R',
    fields: [
      { name: 'a', type: 'string' },
      { name: 'n', type: { type: 'record', name: 'N', fields: [{ name: 'x', type: 'long' }] } },
    ],
  };
  const v2 = {
    type: 'record',
    name: 'R',
    fields: [
      { name: 'a', type: ['null', 'string'], default: null },
      { name: 'n', type: { type: 'record', name: 'N', fields: [{ name: 'x', type: 'long' }] } },
      { name: 't', type: { type: 'long', logicalType: 'timestamp-millis' } },
    ],
  };
  it('names every nested field and each change', () => {
    expect(flattenFields(v1).map((f) => f.path)).toEqual(['a', 'n', 'n.x']);
    expect(diffFields(flattenFields(v1), flattenFields(v2))).toEqual([
      { path: 'a', change: 'changed', from: 'string', to: 'null | string = null' },
      { path: 't', change: 'added', to: 'long (timestamp-millis)' },
    ]);
    expect(diffFields(flattenFields(v2), flattenFields(v1)).map((c) => c.change)).toEqual([
      'changed',
      'removed',
    ]);
  });
});

describe('decoded values as JSON', () => {
  it('shows timestamps as ISO UTC with the Manila time, keeps decimals exact, reads dot paths', () => {
    const schema = {
      type: 'record',
      name: 'R',
      fields: [
        { name: 't', type: ['null', { type: 'long', logicalType: 'timestamp-millis' }] },
        { name: 'm', type: 'string' },
      ],
    };
    const json = toJson(schema, { t: Date.UTC(2026, 0, 1, 16, 30), m: '1234.50' });
    expect(json).toEqual({ t: '2026-01-01T16:30:00.000Z (Manila 2026-01-02 00:30:00)', m: '1234.50' });
    expect(showDate(0)).toBe('1970-01-01T00:00:00.000Z (Manila 1970-01-01 08:00:00)');
    expect(fieldText({ a: { b: 'x' } }, 'a.b')).toBe('x');
    expect(fieldText({ a: null }, 'a.b')).toBeUndefined();
  });
});

describe('pipeline topics', () => {
  it('lists lifecycle, split, dead-letter and internal topics under the prefix', () => {
    const topics = pipelineTopics(pipelineNames('p_'));
    expect(topics.filter((t) => t.kind === 'lifecycle').map((t) => t.topic)).toEqual([
      'p_unpaid_orders',
      'p_paid_orders',
      'p_shipped_orders',
      'p_finished_orders',
      'p_failed_orders',
    ]);
    expect(topics.find((t) => t.topic === 'p__orderflow_dlq_actions')).toMatchObject({
      kind: 'internal',
      cleanupPolicy: 'compact',
    });
    expect(topics.filter((t) => t.kind === 'dlq')).toHaveLength(6);
  });
});
