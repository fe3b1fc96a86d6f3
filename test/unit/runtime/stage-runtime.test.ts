import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaJS } from '@confluentinc/kafka-javascript';
import { afterEach, describe, expect, it } from 'vitest';
import { OrderflowError } from '../../../common/errors.ts';
import { createLogger } from '../../../common/logger.ts';
import { pipelineNames } from '../../../common/names.ts';
import { emit, Pacer, StageRuntime, type PendingEntry, type Sink } from '../../../runtime/index.ts';
import { clientError, FakeKafka, type FakeConsumer } from './fake-kafka.ts';

/**
 * The runtime's hard paths, through the fake client (fake-kafka.ts): what a broker would hold after
 * each is checked by the transactions committed and aborted. The integration tier repeats the
 * important ones against the real broker (test/integration/processors).
 */
interface Item {
  id: string;
  /** Event time for live pacing (ms); omitted = due at once. */
  at?: number;
}

const json = { encode: (v: unknown) => Buffer.from(JSON.stringify(v)) };
const out: Sink<Item> = { topic: 'out', encoder: json };
const log = createLogger('runtime-test', 'silent');
const names = pipelineNames('t_');

const decoder = {
  prepare: async () => undefined,
  decode: (buf: Buffer | null): Item => {
    if (buf === null || buf.toString() === 'poison') {
      throw new OrderflowError('ORDERFLOW_DECODE_FAILED', 'not an item');
    }
    return JSON.parse(buf.toString()) as Item;
  },
};

const running: StageRuntime<Item>[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

function runtime(kafka: FakeKafka, extra: Partial<ConstructorParameters<typeof StageRuntime<Item>>[0]> = {}) {
  const r = new StageRuntime<Item>({
    stage: 'test',
    kafka,
    groupId: names.group('test'),
    instanceId: 'i1',
    transactionalId: names.transactionalId('test', 'i1'),
    inputTopics: ['in'],
    decoder,
    handle: (item) => [emit(out, item.id, item, item.at === undefined ? {} : { releaseAt: item.at })],
    log,
    ...extra,
  });
  running.push(r);
  return r;
}

async function started(
  kafka: FakeKafka,
  extra = {},
): Promise<{ r: StageRuntime<Item>; consumer: FakeConsumer }> {
  const r = runtime(kafka, extra);
  await r.start();
  const consumer = kafka.consumers[0]!;
  consumer.rebalance('assign', 'in', [0]);
  return { r, consumer };
}

const records = (...ids: string[]) =>
  ids.map((id, i) => ({ offset: i, key: id, value: JSON.stringify({ id }) }));

describe('stage runtime (fake client)', () => {
  it('commits a batch outputs with the next input offset in one transaction, under a prefixed transactional id', async () => {
    const kafka = new FakeKafka();
    const { consumer } = await started(kafka);
    expect(kafka.producers[0]!.config['transactional.id']).toBe('t_orderflow-test-i1');

    expect(await consumer.deliver('in', 0, records('a', 'b', 'c'))).toBe('2');
    expect(kafka.committed).toHaveLength(1);
    expect(kafka.committed[0]!.records.map((r) => r.key)).toEqual(['a', 'b', 'c']);
    expect(kafka.committed[0]!.offsets).toEqual([{ topic: 'in', partition: 0, offset: '3' }]);
  });

  it('dead-letters a poison record in the same transaction and keeps the rest', async () => {
    const kafka = new FakeKafka();
    const { consumer } = await started(kafka);
    await consumer.deliver('in', 0, [...records('a'), { offset: 1, key: 'x', value: 'poison' }]);
    expect(kafka.recordsIn('out').map((r) => r.key)).toEqual(['a']);
    expect(kafka.recordsIn('in.dlq').map((r) => r.value)).toEqual(['poison']);
    expect(kafka.committed[0]!.offsets[0]!.offset).toBe('2');
  });

  it('a rebalance mid-batch aborts the transaction and hands the batch back; the redelivery commits once', async () => {
    const kafka = new FakeKafka();
    const { consumer } = await started(kafka);
    // The partition is revoked while the transaction is open: fresh when the batch starts, stale
    // when the runtime checks again before the commit.
    let checks = 0;
    await expect(
      consumer.deliver('in', 0, records('a', 'b'), { stale: () => ++checks > 1 }),
    ).rejects.toMatchObject({
      code: 'ORDERFLOW_TRANSACTION_FAILED',
      retriable: true,
    });
    expect(kafka.committed).toHaveLength(0);
    expect(kafka.aborted).toHaveLength(1);
    expect(kafka.producers).toHaveLength(1); // an abort is enough: same producer

    await consumer.deliver('in', 0, records('a', 'b'));
    expect(kafka.recordsIn('out').map((r) => r.key)).toEqual(['a', 'b']);
  });

  it('a fenced producer is replaced by a new one, and the batch commits through it', async () => {
    const kafka = new FakeKafka();
    const { consumer } = await started(kafka);
    kafka.failNext(
      'commit',
      clientError('producer fenced', { code: KafkaJS.ErrorCodes.ERR__FENCED, fatal: true }),
    );
    await expect(consumer.deliver('in', 0, records('a'))).rejects.toMatchObject({ retriable: true });
    expect(kafka.producers).toHaveLength(2);
    expect(kafka.producers[0]!.connected).toBe(false);
    expect(kafka.producers[1]!.config['transactional.id']).toBe('t_orderflow-test-i1');

    await consumer.deliver('in', 0, records('a'));
    expect(kafka.committed.map((t) => t.producer)).toEqual([1]);
  });

  it('an abortable commit error aborts and keeps the producer', async () => {
    const kafka = new FakeKafka();
    const { consumer } = await started(kafka);
    kafka.failNext('commit', clientError('coordinator moved', { abortable: true, retriable: true }));
    await expect(consumer.deliver('in', 0, records('a'))).rejects.toMatchObject({ retriable: true });
    expect(kafka.aborted).toHaveLength(1);
    expect(kafka.producers).toHaveLength(1);
    await consumer.deliver('in', 0, records('a'));
    expect(kafka.committed.map((t) => t.producer)).toEqual([0]);
  });

  it('a fatal error, or an abort that fails, re-creates the producer', async () => {
    const kafka = new FakeKafka();
    const { consumer } = await started(kafka);
    kafka.failNext('sendOffsets', clientError('fatal idempotence error', { fatal: true }));
    await expect(consumer.deliver('in', 0, records('a'))).rejects.toMatchObject({ retriable: true });
    expect(kafka.producers).toHaveLength(2);

    kafka.failNext('commit', clientError('timed out', { retriable: true }));
    kafka.failNext('abort', clientError('abort timed out', { retriable: true }));
    await expect(consumer.deliver('in', 0, records('a'))).rejects.toMatchObject({ retriable: true });
    expect(kafka.producers).toHaveLength(3);

    await consumer.deliver('in', 0, records('a'));
    expect(kafka.committed.map((t) => t.producer)).toEqual([2]);
  });

  it('a handler bug stops the stage (onFatal) and commits nothing', async () => {
    const kafka = new FakeKafka();
    let fatal: unknown;
    const { consumer } = await started(kafka, {
      handle: () => {
        throw new TypeError('bug');
      },
      onFatal: (error: unknown) => (fatal = error),
    });
    await expect(consumer.deliver('in', 0, records('a'))).rejects.toThrow('bug');
    expect(fatal).toBeInstanceOf(TypeError);
    expect(kafka.committed).toHaveLength(0);
  });
});

describe('stage runtime, live pacing (fake client)', () => {
  const now = Date.now();
  const pacing = { speed: 1, anchorMs: now, releaseIntervalMs: 10 };
  const pacer = new Pacer(pacing);

  function entry(key: string, eventTime: number): PendingEntry {
    return {
      partition: 0,
      key: Buffer.from(key),
      topic: 'out',
      value: Buffer.from(JSON.stringify({ id: key })),
      eventTime,
      due: pacer.dueAt(eventTime),
      failure: false,
      sourceOffset: '4',
    };
  }

  function paced(kafka: FakeKafka, readPartition: (partition: number) => Promise<PendingEntry[]>) {
    kafka.topics.set('in', 1);
    return started(kafka, {
      pacing,
      pendingStore: {
        bootstrap: 'unused:9092',
        topic: names.pending('test'),
        replicationFactor: 1,
        readPartition,
      },
    });
  }

  async function until(condition: () => boolean, ms = 3000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await sleep(5);
    }
  }

  it('restores a partition after assignment before its batches, then releases what is due, fenced by the committed offset', async () => {
    const kafka = new FakeKafka();
    kafka.groupOffsets.set('in[0]', '5');
    let finishRestore!: (entries: PendingEntry[]) => void;
    const restore = new Promise<PendingEntry[]>((resolve) => (finishRestore = resolve));
    const { consumer } = await paced(kafka, () => restore);
    expect(kafka.topics.get('t__orderflow_test_pending')).toBe(1);

    // A batch of the partition waits for its restore.
    const batch = consumer.deliver('in', 0, [{ offset: 5, key: 'b', value: JSON.stringify({ id: 'b' }) }]);
    await sleep(50);
    expect(kafka.committed).toHaveLength(0);

    finishRestore([entry('a', now - 1000)]);
    await batch;
    await until(() => kafka.recordsIn('out').some((r) => r.key === 'a'));
    const release = kafka.committed.find((t) => t.records.some((r) => r.key === 'a'))!;
    expect(release.records).toContainEqual({ topic: 't__orderflow_test_pending', key: 'a', value: null });
    // The release runs as soon as the restore ends, before the waiting batch: fenced by offset 5.
    expect(release.offsets).toEqual([{ topic: 'in', partition: 0, offset: '5' }]);
    expect(
      kafka
        .recordsIn('out')
        .map((r) => r.key)
        .sort(),
    ).toEqual(['a', 'b']);
  });

  it('parks an output that is not due in the pending topic with its offset, and releases it when due', async () => {
    const kafka = new FakeKafka();
    const { r, consumer } = await paced(kafka, async () => []);
    await consumer.deliver('in', 0, [
      { offset: 0, key: 'later', value: JSON.stringify({ id: 'later', at: Date.now() + 150 }) },
    ]);
    expect(kafka.committed[0]!.records.map((x) => x.topic)).toEqual(['t__orderflow_test_pending']);
    expect(kafka.committed[0]!.offsets[0]!.offset).toBe('1');
    expect(r.pendingRecords).toBe(1);
    await until(() => kafka.recordsIn('out').length === 1);
    expect(r.pendingRecords).toBe(0);
  });

  it('drops a revoked partition entries unreleased (its next owner restores them)', async () => {
    const kafka = new FakeKafka();
    const { r, consumer } = await paced(kafka, async () => [entry('x', now + 60_000)]);
    await until(() => r.pendingRecords === 1);
    consumer.rebalance('revoke', 'in', [0]);
    expect(r.pendingRecords).toBe(0);
  });

  it('stop during a release waits for its transaction before the consumer disconnects', async () => {
    const kafka = new FakeKafka();
    let openGate!: () => void;
    kafka.gate = { call: 'commit', wait: new Promise<void>((resolve) => (openGate = resolve)) };
    const { r, consumer } = await paced(kafka, async () => [entry('a', now - 1000)]);
    await until(() => r.releaseInProgress);

    running.splice(running.indexOf(r), 1);
    let stopped = false;
    const stopping = r.stop().then(() => (stopped = true));
    await sleep(50);
    expect(stopped).toBe(false);
    expect(consumer.connected).toBe(true); // sendOffsets still needs the consumer

    openGate();
    await stopping;
    expect(kafka.recordsIn('out').map((x) => x.key)).toEqual(['a']);
    expect(consumer.connected).toBe(false);
    expect(kafka.producers[0]!.connected).toBe(false);
  });
});
