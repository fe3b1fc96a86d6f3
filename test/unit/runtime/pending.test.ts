import { pipelineNames } from '../../../common/names.ts';
import { describe, expect, it } from 'vitest';
import { Pacer } from '../../../runtime/pacing.ts';
import {
  PENDING_HEADERS,
  PendingSet,
  parsePendingRecord,
  pendingMessage,
  pendingTombstone,
  type PendingEntry,
} from '../../../runtime/pending.ts';

function entry(partition: number, key: string, due: number, extra: Partial<PendingEntry> = {}): PendingEntry {
  return {
    partition,
    key: Buffer.from(key),
    topic: 'paid_orders',
    value: Buffer.from(`value-${key}`),
    eventTime: due,
    due,
    failure: false,
    sourceOffset: '0',
    ...extra,
  };
}

const keys = (list: PendingEntry[]) => list.map((e) => e.key.toString());

describe('PendingSet', () => {
  it('hands out due entries earliest first, ties in insertion order, and keeps them until deleted', () => {
    const set = new PendingSet();
    set.put(entry(0, 'c', 300));
    set.put(entry(1, 'a', 100));
    set.put(entry(0, 'b', 200));
    set.put(entry(2, 'b2', 200));
    set.put(entry(0, 'd', 400));
    expect(set.nextDue()).toBe(100);
    expect(keys(set.due(250, 10))).toEqual(['a', 'b', 'b2']);
    expect(keys(set.due(250, 2))).toEqual(['a', 'b']); // limit; nothing was removed
    expect(set.due(99, 10)).toEqual([]);
    expect(set.size).toBe(5);
    for (const e of set.due(250, 10)) expect(set.delete(e.partition, e.key)).toBe(true);
    expect(set.size).toBe(2);
    expect(set.nextDue()).toBe(300);
    expect(keys(set.due(1000, 10))).toEqual(['c', 'd']);
  });

  it('replaces an entry with the same partition and key (as compaction does), not across partitions', () => {
    const set = new PendingSet();
    set.put(entry(0, 'k', 100));
    set.put(entry(0, 'k', 500, { value: Buffer.from('newer') }));
    set.put(entry(1, 'k', 200));
    expect(set.size).toBe(2);
    expect(set.sizeOf(0)).toBe(1);
    const due = set.due(1000, 10);
    expect(due.map((e) => [e.partition, e.due])).toEqual([
      [1, 200],
      [0, 500],
    ]);
    expect(due[1]!.value.toString()).toBe('newer');
    expect(set.delete(0, Buffer.from('missing'))).toBe(false);
  });

  it('drops a revoked partition and keeps the others', () => {
    const set = new PendingSet();
    for (let i = 0; i < 30; i++) set.put(entry(i % 3, `k${i}`, 1000 - i));
    expect(set.dropPartition(1)).toBe(10);
    expect(set.size).toBe(20);
    expect(set.sizeOf(1)).toBe(0);
    const due = set.due(Number.MAX_SAFE_INTEGER, 100);
    expect(due).toHaveLength(20);
    expect(due.every((e) => e.partition !== 1)).toBe(true);
    const dues = due.map((e) => e.due);
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
  });

  it('stays ordered through many random puts, replacements and deletes (seeded)', () => {
    // A small LCG (seed 42) so that the sequence is the same on every run.
    let state = 42;
    const rand = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const set = new PendingSet();
    const model = new Map<string, number>();
    for (let i = 0; i < 5000; i++) {
      const key = `k${Math.floor(rand() * 800)}`;
      const partition = Math.floor(rand() * 4);
      if (rand() < 0.2) {
        set.delete(partition, Buffer.from(key));
        model.delete(`${partition}/${key}`);
      } else {
        const due = Math.floor(rand() * 10_000);
        set.put(entry(partition, key, due));
        model.set(`${partition}/${key}`, due);
      }
    }
    expect(set.size).toBe(model.size);
    const all = set.due(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    expect(all).toHaveLength(model.size);
    for (const e of all) expect(model.get(`${e.partition}/${e.key.toString()}`)).toBe(e.due);
    const dues = all.map((e) => e.due);
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    const cut = 5000;
    expect(set.due(cut, Number.MAX_SAFE_INTEGER).every((e) => e.due <= cut)).toBe(true);
    expect(set.due(cut, Number.MAX_SAFE_INTEGER)).toHaveLength(
      [...model.values()].filter((d) => d <= cut).length,
    );
  });
});

describe('pending records', () => {
  it('round-trip through their headers, the due time recomputed from the event time', () => {
    const e = entry(4, 'order-1', 0, {
      eventTime: 7_000,
      originTime: 1_000,
      failure: true,
      sourceOffset: '41',
    });
    const message = pendingMessage(e);
    expect(message.partition).toBe(4);
    expect(message.headers![PENDING_HEADERS.topic]).toBe('paid_orders');
    const pacer = new Pacer({ speed: 10, anchorMs: 0 });
    const back = parsePendingRecord(4, message.key as Buffer, message.value as Buffer, message.headers, (t) =>
      pacer.dueAt(t),
    );
    expect(back).toEqual({ ...e, due: 700 });
    const tombstone = pendingTombstone(e);
    expect(tombstone.value).toBeNull();
    expect(tombstone.partition).toBe(4);
    expect(parsePendingRecord(4, tombstone.key as Buffer, null, undefined, (t) => t)).toBeNull();
  });

  it('reject a record without the pending headers, and name the topic after the stage', () => {
    expect(() => parsePendingRecord(0, Buffer.from('k'), Buffer.from('v'), {}, (t) => t)).toThrow(/header/);
    expect(pipelineNames('p_').pending('payment')).toBe('p__orderflow_payment_pending');
    expect(pipelineNames('').pending('delivery')).toBe('_orderflow_delivery_pending');
  });
});
