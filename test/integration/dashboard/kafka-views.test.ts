/**
 * The dashboard's Kafka views against the real stack, on a prefix of their own: topic counts equal
 * what the test wrote, a seek by time lands on the right offset, key and field filters, following
 * an order, schemas, groups, and a dead letter replayed exactly once that flows on through the
 * payment stage (a second replay is refused). Bad parameters are 400s with the reason; writes are
 * 403 unless allowed, and 401 without the token beyond loopback.
 */
import { describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPLAYED_FROM } from '../../../dashboard/kafka/dead-letters.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { startStage, testSettings } from '../processors/pipeline.ts';
import { COUNT, kafkaViewsFixture, type Rec } from './kafka-views-fixture.ts';

describe('dashboard Kafka views', () => {
  const kv = kafkaViewsFixture();
  const { prefix, names, unpaid, dlq, T0, connect, make, get, post } = kv;

  it('topics: every pipeline topic, the count written, partitions and size', async () => {
    const { status, body } = await get<{
      topics: {
        topic: string;
        exists: boolean;
        partitions: number;
        messagesUpperBound: number;
        kind: string;
      }[];
    }>('/api/kafka/topics');
    expect(status).toBe(200);
    const t = body.topics.find((x) => x.topic === unpaid)!;
    expect(t).toMatchObject({ exists: true, partitions: 2, messagesUpperBound: COUNT, kind: 'lifecycle' });
    expect(body.topics.find((x) => x.topic === dlq)).toMatchObject({ kind: 'dlq', messagesUpperBound: 2 });
    expect(
      body.topics.every(
        (x) => x.topic.startsWith(prefix) || x.topic.startsWith(`${prefix}_`) || x.topic.startsWith('_'),
      ),
    ).toBe(true);
  });

  it('messages: newest and oldest pages hold what was written, decoded, money exact, dates ISO with Manila', async () => {
    const newest = await get<{ records: Rec[] }>(`/api/kafka/messages?topic=${unpaid}&limit=${COUNT}`);
    expect(newest.status).toBe(200);
    expect(newest.body.records).toHaveLength(COUNT);
    expect(new Set(newest.body.records.map((r) => r.key))).toEqual(new Set(kv.orders.map((o) => o.order_id)));
    const first = newest.body.records[0]!;
    expect(first.timestamp).toBe(T0 + (COUNT - 1) * 1000);
    const order = kv.orders.find((o) => o.order_id === first.key)!;
    expect(first.value!.order_total).toBe(order.order_total);
    expect(first.value!.order_date).toMatch(
      /^\d{4}-\d\d-\d\dT.*Z \(Manila \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\)$/,
    );
    const oldest = await get<{ records: Rec[] }>(`/api/kafka/messages?topic=${unpaid}&order=oldest&limit=3`);
    expect(oldest.body.records.map((r) => r.timestamp)).toEqual([T0, T0 + 1000, T0 + 2000]);
  });

  it('messages: a seek to a timestamp lands on the first offset at or after it', async () => {
    const p0 = (
      await get<{ records: Rec[] }>(
        `/api/kafka/messages?topic=${unpaid}&partition=0&order=oldest&limit=${COUNT}`,
      )
    ).body.records;
    expect(p0.length).toBeGreaterThan(3);
    const target = p0[3]!;
    const seek = await get<{ records: Rec[] }>(
      `/api/kafka/messages?topic=${unpaid}&partition=0&timestamp=${new Date(target.timestamp - 500).toISOString()}&limit=1`,
    );
    expect(seek.status).toBe(200);
    expect(seek.body.records.map((r) => r.offset)).toEqual([target.offset]);
    const byOffset = await get<{ records: Rec[] }>(
      `/api/kafka/messages?topic=${unpaid}&partition=0&offset=${target.offset}&limit=2`,
    );
    expect(byOffset.body.records.map((r) => r.offset)).toEqual([p0[3]!.offset, p0[4]!.offset]);
  });

  it('messages: filter by key and by a field of the decoded value', async () => {
    const one = kv.orders[5]!;
    const byKey = await get<{ records: Rec[] }>(`/api/kafka/messages?topic=${unpaid}&key=${one.order_id}`);
    expect(byKey.body.records.map((r) => r.key)).toEqual([one.order_id]);
    const province = one.customer_info.provincial_code;
    const expected = kv.orders.filter((o) => o.customer_info.provincial_code === province).length;
    const byField = await get<{ records: Rec[] }>(
      `/api/kafka/messages?topic=${unpaid}&field=customer_info.provincial_code&value=${province}&limit=100`,
    );
    expect(byField.body.records).toHaveLength(expected);
  });

  it('bad parameters are 400s naming the parameter, never a stack trace', async () => {
    for (const [url, word] of [
      [`/api/kafka/messages?topic=orders_of_someone_else`, 'topic'],
      [`/api/kafka/messages?topic=${unpaid}&partition=0&offset=12abc`, 'offset'],
      [`/api/kafka/messages?topic=${unpaid}&limit=100000`, 'limit'],
      [`/api/kafka/messages?topic=${unpaid}&partition=7`, 'partition'],
      [`/api/kafka/messages?topic=${unpaid}&timestamp=yesterday`, 'timestamp'],
      [`/api/kafka/messages?topic=${unpaid}&sneaky=1`, 'sneaky'],
      [`/api/kafka/follow?order=${encodeURIComponent("x' or 1=1")}`, 'order'],
      [`/api/kafka/dead-letters?topic=${unpaid}`, 'topic'],
    ] as const) {
      const r = await get<{ error: string }>(url);
      expect(r.status, url).toBe(400);
      expect(r.body.message, url).toContain(word);
      expect(r.body.message, url).not.toMatch(/\n\s+at /);
    }
  });

  it('schemas: the pipeline subjects with versions and compatibility', async () => {
    const { body } = await get<{
      subjects: { subject: string; versions: number[]; compatibility: string }[];
    }>('/api/kafka/schemas');
    const s = body.subjects.find((x) => x.subject === `${unpaid}-value`)!;
    expect(s.versions).toEqual([1]);
    expect(s.compatibility).toBe('BACKWARD');
    const diff = await get<{ changes: unknown[] }>(
      `/api/kafka/schemas/diff?subject=${unpaid}-value&from=1&to=1`,
    );
    expect(diff.body.changes).toEqual([]);
    const version = await get<{ fields: { path: string; type: string }[] }>(
      `/api/kafka/schemas/version?subject=${unpaid}-value&version=1`,
    );
    expect(version.body.fields.find((f) => f.path === 'order_total')?.type).toMatch(/decimal/);
  });

  it('writes are 403 when not allowed, 401 without the token beyond loopback', async () => {
    const body = { topic: dlq, partition: 0, offset: 1 };
    const off = await make({ allowWrites: false });
    expect((await post('/api/kafka/dead-letters/discard', body, off)).status).toBe(403);
    const open = await make({ host: '0.0.0.0', token: 'a-test-token-of-some-length' });
    expect((await post('/api/kafka/dead-letters/discard', body, open)).status).toBe(401);
    const noToken = await make({ host: '0.0.0.0' });
    expect((await post('/api/kafka/dead-letters/discard', body, noToken)).status).toBe(403);
  });

  it('dead letters: replayed once to the source topic, flowing on; a second replay and a re-discard are refused', async () => {
    const list = await get<{
      deadLetters: {
        coordinates: string;
        code: string;
        sourceTopic: string;
        sourceOffset: string;
        decodeError?: string;
        originalHex: string;
        handled: unknown;
      }[];
    }>(`/api/kafka/dead-letters?topic=${dlq}`);
    expect(list.body.deadLetters).toHaveLength(2);
    const poison = list.body.deadLetters.find((d) => d.code === 'ORDERFLOW_DECODE_FAILED')!;
    expect(poison.decodeError).toMatch(/Confluent/);
    expect(Buffer.from(poison.originalHex, 'hex').toString()).toBe('not avro');
    const good = list.body.deadLetters.find((d) => d.code === 'ORDERFLOW_INVARIANT_VIOLATED')!;
    expect(good).toMatchObject({ sourceTopic: unpaid, sourceOffset: '9001', handled: null });
    const [, , offset] = good.coordinates.split('/');

    /** Replays or discards the dead letter at `offset` of partition 0. */
    const act = <T>(action: 'replay' | 'discard', at: number) =>
      post<T>(`/api/kafka/dead-letters/${action}`, { topic: dlq, partition: 0, offset: at });
    const replay = await act<{ action: { action: string } }>('replay', Number(offset));
    expect(replay.status).toBe(200);
    expect(replay.body.action.action).toBe('replayed');
    const again = await act('replay', Number(offset));
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('ORDERFLOW_DLQ_ALREADY_HANDLED');
    expect(again.body.message).toMatch(/already replayed/);
    expect((await act('discard', Number(offset))).status).toBe(409);
    const poisonOffset = Number(poison.coordinates.split('/')[2]);
    expect((await act('replay', poisonOffset)).status).toBe(200);
    expect((await act('discard', poisonOffset)).status).toBe(409);

    // Exactly one copy on the source topic, marked with where it came from.
    const copies = await get<{ records: Rec[] }>(
      `/api/kafka/messages?topic=${unpaid}&key=${kv.replayOrder.order_id}`,
    );
    expect(copies.body.records).toHaveLength(1);
    expect(copies.body.records[0]!.headers[REPLAYED_FROM]).toBe(good.coordinates);
    const handled = await get<{ deadLetters: { handled: { action: string } | null }[] }>(
      `/api/kafka/dead-letters?topic=${dlq}&status=pending`,
    );
    expect(handled.body.deadLetters).toHaveLength(0);

    // It flows on: the payment stage takes it (paid or failed), and following the order shows it.
    const stage = await startStage(
      'payment',
      testSettings('payment', prefix, { group: names.group('payment') }),
    );
    try {
      const deadline = Date.now() + 90_000;
      let topics: string[] = [];
      while (Date.now() < deadline) {
        const f = await get<{ records: { topic: string }[] }>(
          `/api/kafka/follow?order=${kv.replayOrder.order_id}`,
        );
        topics = f.body.records.map((r) => r.topic);
        if (topics.some((t) => t === names.topic('paid') || t === names.topic('failed'))) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      expect(topics[0]).toBe(unpaid);
      expect(topics.some((t) => t === names.topic('paid') || t === names.topic('failed'))).toBe(true);
      // The stage's group: members while it runs, committed offsets, lag per partition.
      const groups = await get<{
        groups: {
          group: string;
          members: unknown[];
          partitions: { committed: number | null; end: number; lag: number; counted: boolean }[];
        }[];
      }>('/api/kafka/groups');
      const payment = groups.body.groups.find((g) => g.group === names.group('payment'))!;
      expect(payment.partitions).toHaveLength(2);
      expect(payment.members.length).toBeGreaterThanOrEqual(1);
      // Small gaps are counted record by record (markers are no lag); others are offset differences.
      for (const p of payment.partitions) {
        const offsets = p.end - (p.committed ?? 0);
        if (p.counted) expect(p.lag).toBeLessThanOrEqual(offsets);
        else expect(p.lag).toBe(offsets);
      }
      expect(payment.partitions.some((p) => p.counted)).toBe(true);
    } finally {
      await stage.stop();
    }
  });

  it('connectors: a FAILED task shows its full trace; restart, pause and resume act on the worker', async () => {
    // A sink of this prefix whose database does not exist: Connect runs the connector and fails its task.
    const name = names.sinkConnector('orders');
    await connect.put({
      name,
      config: {
        'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
        'tasks.max': '1',
        topics: names.topic('orders'),
        'connection.url': 'jdbc:postgresql://127.0.0.1:9/nowhere',
        'connection.username': 'nobody',
        'connection.password': 'nothing',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      },
    });
    type View = {
      connectors: {
        name: string;
        deployed: boolean;
        state: string;
        tasks: { state: string; trace: string | null }[];
      }[];
    };
    const view = async () =>
      (await get<View>('/api/kafka/connectors')).body.connectors.find((c) => c.name === name)!;
    const deadline = Date.now() + 90_000;
    while ((await view()).tasks[0]?.state !== 'FAILED' && Date.now() < deadline) await sleep(1000);
    const failed = await view();
    expect(failed.deployed).toBe(true);
    expect(failed.tasks[0]!.state).toBe('FAILED');
    expect(failed.tasks[0]!.trace).toMatch(/Exception[\s\S]*\n\s+at /); // the whole stack trace, not its first line
    // The other sinks of this prefix are not deployed, and say so.
    expect(
      (await get<View>('/api/kafka/connectors')).body.connectors.filter((c) => !c.deployed),
    ).toHaveLength(2);

    const act = (action: string, extra: Record<string, unknown> = {}) =>
      post<{ status: number }>('/api/kafka/connectors/action', { name, action, ...extra });
    expect((await act('restart')).status).toBe(200);
    expect((await act('pause')).status).toBe(200);
    const pausedBy = Date.now() + 30_000;
    while ((await view()).state !== 'PAUSED' && Date.now() < pausedBy) await sleep(500);
    expect((await view()).state).toBe('PAUSED');
    expect((await act('resume')).status).toBe(200);
    const resumedBy = Date.now() + 30_000;
    while ((await view()).state !== 'RUNNING' && Date.now() < resumedBy) await sleep(500);
    expect((await view()).state).toBe('RUNNING');

    // Only the pipeline's own connectors, only known actions.
    const stranger = await act('pause', { name: 'someone-elses-connector' });
    expect(stranger.status).toBe(400);
    expect(stranger.body.message).toMatch(/name/);
    expect((await act('delete')).status).toBe(400);
  });

  it('produce: a valid order is written through the registry; an invalid one is a 400 naming the field', async () => {
    const sample = (await get<{ value: Order }>('/api/kafka/produce/sample')).body.value;
    const ok = await post<{ key: string; schemaId: number }>('/api/kafka/produce', {
      topic: unpaid,
      value: sample,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.schemaId).toBeGreaterThan(0);
    const back = await get<{ records: Rec[] }>(`/api/kafka/messages?topic=${unpaid}&key=${sample.order_id}`);
    expect(back.body.records.map((r) => r.value?.order_id)).toEqual([sample.order_id]);
    const bad = await post('/api/kafka/produce', { topic: unpaid, value: { ...sample, order_total: 12.5 } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('order_total');
    expect((await post('/api/kafka/produce', { topic: names.topic('orders'), value: sample })).status).toBe(
      400,
    );
  });
});
