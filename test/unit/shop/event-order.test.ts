/**
 * The stock service's event-time order (stock/event-order.ts): whatever order the partitions'
 * records arrive in, they come out in event-time order, no earlier than the watermark allows.
 */
import { describe, expect, it } from 'vitest';
import type { Order } from '../../../schemas/types.generated.ts';
import {
  EventTimeBuffer,
  expectedStreams,
  streamOf,
  type PendingRecord,
} from '../../../stock/event-order.ts';
import type { LifecycleTopic } from '../../../stock/movement.ts';

const order = (id: string, orderDate: number, stage?: 'payment' | 'shipping' | 'delivery'): Order =>
  ({
    order_id: id,
    order_date: orderDate,
    failure: stage ? { stage, reason: 'x', failed_at: orderDate + 5 } : null,
  }) as unknown as Order;

let offset = 0n;
const rec = (kind: LifecycleTopic, partition: number, o: Order, at: number): PendingRecord => ({
  topic: `${kind}_orders`,
  partition,
  offset: offset++,
  kind,
  at,
  order: o,
});

describe('event-time order of lifecycle records', () => {
  const expected = expectedStreams([
    { kind: 'paid', partition: 0 },
    { kind: 'finished', partition: 0 },
    { kind: 'failed', partition: 0 },
  ]);

  it('names one stream per topic and partition, and per failing stage for failed_orders', () => {
    expect(expected).toEqual([
      'paid:0',
      'finished:0',
      'failed:0:payment',
      'failed:0:shipping',
      'failed:0:delivery',
    ]);
    expect(streamOf('failed', 0, order('a', 1, 'shipping'))).toBe('failed:0:shipping');
  });

  it('holds everything until every stream has been heard from (a whole paid history read first)', () => {
    const b = new EventTimeBuffer();
    for (let d = 0; d < 100; d++) b.add(rec('paid', 0, order(`p${d}`, d * 10), d * 10 + 3));
    expect(b.watermark(expected)).toBe(-Infinity);
    expect(b.take(expected, false, 1000)).toEqual([]);
    expect(b.size()).toBe(100);
  });

  it('applies records before the least order date any stream has shown, in event-time order', () => {
    const b = new EventTimeBuffer();
    b.add(rec('paid', 0, order('a', 0), 30));
    b.add(rec('paid', 0, order('b', 10), 10));
    b.add(rec('paid', 0, order('c', 20), 25));
    b.add(rec('finished', 0, order('x', 5), 15));
    b.add(rec('failed', 0, order('y', 8, 'payment'), 40));
    b.add(rec('failed', 0, order('z', 9, 'shipping'), 12));
    expect(b.take(expected, false, 1000)).toEqual([]); // the delivery failures are unheard of
    expect(b.heardFrom(expected)).toBe(false);
    b.add(rec('failed', 0, order('w', 18, 'delivery'), 26));
    expect(b.heardFrom(expected)).toBe(true);
    // The watermark is the least latest order date: finished (5).
    expect(b.watermark(expected)).toBe(5);
    expect(b.take(expected, false, 1000)).toEqual([]);
    b.add(rec('finished', 0, order('v', 22), 28));
    // Now the payment failures' 8 is the least.
    expect(b.watermark(expected)).toBe(8);
    b.add(rec('failed', 0, order('u', 30, 'payment'), 37));
    b.add(rec('failed', 0, order('t', 31, 'shipping'), 33));
    expect(b.watermark(expected)).toBe(18);
    expect(b.take(expected, false, 1000).map((r) => r.order!.order_id)).toEqual(['b', 'z', 'x']);
    // Flush: the rest, in event-time order.
    expect(b.take(expected, true, 1000).map((r) => r.at)).toEqual([25, 26, 28, 30, 33, 37, 40]);
    expect(b.size()).toBe(0);
  });

  it('gives the same order whatever order the partitions arrive in', () => {
    const streams: PendingRecord[][] = [[], [], []];
    for (let i = 0; i < 60; i++) {
      const kind = (['paid', 'finished', 'failed'] as const)[i % 3]!;
      const o = order(`o${i}`, i * 7, kind === 'failed' ? 'payment' : undefined);
      streams[i % 3]!.push(rec(kind, 0, o, i * 7 + ((i * 13) % 11)));
    }
    const only = expectedStreams([
      { kind: 'paid', partition: 0 },
      { kind: 'finished', partition: 0 },
    ]).concat('failed:0:payment');
    const drain = (arrival: PendingRecord[]) => {
      const b = new EventTimeBuffer();
      const out: string[] = [];
      for (const r of arrival) {
        b.add(r);
        out.push(...b.take(only, false, 1000).map((x) => x.order!.order_id));
      }
      out.push(...b.take(only, true, 1000).map((x) => x.order!.order_id));
      return out;
    };
    const interleaved = streams[0]!.flatMap((_, i) => streams.map((s) => s[i]!));
    const oneAfterAnother = streams.flat();
    expect(drain(oneAfterAnother)).toEqual(drain(interleaved));
    expect(drain(interleaved)).toEqual(
      [...streams.flat()].sort((a, b) => a.at - b.at).map((r) => r.order!.order_id),
    );
  });

  it('resumes a partition at its lowest record still buffered', () => {
    const b = new EventTimeBuffer();
    b.add({ ...rec('paid', 3, order('a', 0), 50), offset: 7n });
    b.add({ ...rec('paid', 3, order('b', 1), 1), offset: 8n });
    b.add({ ...rec('paid', 3, order('c', 2), 60), offset: 9n });
    expect(b.resumeOffset('paid_orders', 3)).toBe(7n);
    const p3 = expectedStreams([{ kind: 'paid', partition: 3 }]);
    expect(b.take(p3, false, 10).map((r) => r.offset)).toEqual([8n]);
    expect(b.resumeOffset('paid_orders', 3)).toBe(7n);
    b.take(p3, true, 10);
    expect(b.resumeOffset('paid_orders', 3)).toBe(10n);
    expect(b.resumeOffset('paid_orders', 4)).toBeUndefined();
  });
});

describe('store orders on finished_orders (paid at the till, written by the payment stage)', () => {
  const expected = expectedStreams([
    { kind: 'paid', partition: 0 },
    { kind: 'finished', partition: 0 },
    { kind: 'failed', partition: 0 },
  ]);
  const till = (id: string, orderDate: number): Order =>
    ({ ...order(id, orderDate), channel: 'store' }) as Order;

  it('are a stream of their own, not waited for until they show a record, then holding the watermark', () => {
    expect(streamOf('finished', 0, till('s', 1))).toBe('finished:0:store');
    const b = new EventTimeBuffer();
    b.add(rec('paid', 0, order('p', 100), 100));
    b.add(rec('finished', 0, order('d', 90), 400));
    for (const stage of ['payment', 'shipping', 'delivery'] as const)
      b.add(rec('failed', 0, order(stage, 95, stage), 500));
    expect(b.watermark(expected)).toBe(90); // no store order yet: the online streams decide
    b.add(rec('finished', 0, till('s', 40), 40));
    expect(b.watermark(expected)).toBe(40); // the till stream has only reached order_date 40
    expect(b.take(expected, false, 10).map((r) => r.order!.order_id)).toEqual([]);
    b.add(rec('finished', 0, till('t', 200), 200));
    expect(b.watermark(expected)).toBe(90);
    expect(b.take(expected, false, 10).map((r) => r.order!.order_id)).toEqual(['s']);
  });
});
