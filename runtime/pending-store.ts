import { setTimeout as sleep } from 'node:timers/promises';
import { RdKafka } from '@confluentinc/kafka-javascript';
import type { EofEvent, Message } from '@confluentinc/kafka-javascript';
import { describeError, OrderflowError } from '../common/errors.ts';
import type { RuntimeAdmin } from './client.ts';
import { kafkaPassthrough } from '../common/settings.ts';
import { PendingSet, parsePendingRecord, type PendingEntry } from './pending.ts';

/**
 * Create the compacted pending topic if it is missing, with the input topic's partition count (so
 * pending partition p belongs to whoever owns input partition p). An existing pending topic must
 * have that same count. Returns the partition count.
 */
export async function ensurePendingTopic(
  admin: RuntimeAdmin,
  inputTopic: string,
  pendingTopic: string,
  replicationFactor: number,
): Promise<number> {
  const partitionsOf = async (topic: string): Promise<number | undefined> => {
    const topics = await admin.listTopics();
    if (!topics.includes(topic)) return undefined;
    const [meta] = await admin.fetchTopicMetadata({ topics: [topic] });
    return meta?.partitions.length;
  };
  const inputPartitions = await partitionsOf(inputTopic);
  if (inputPartitions === undefined) {
    throw new OrderflowError(
      'ORDERFLOW_CONFIG_INVALID',
      `input topic ${inputTopic} does not exist (create the topics first: npx orderflow topics)`,
    );
  }
  let pendingPartitions = await partitionsOf(pendingTopic);
  if (pendingPartitions === undefined) {
    try {
      await admin.createTopics({
        topics: [
          {
            topic: pendingTopic,
            numPartitions: inputPartitions,
            replicationFactor,
            configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
          },
        ],
      });
    } catch (error) {
      // Another instance may have created it at the same moment: check again below.
      if (!/exist/i.test(describeError(error))) throw error;
    }
    // A new topic shows in the metadata after a moment.
    for (let waited = 0; waited <= 10_000; waited += 250) {
      pendingPartitions = await partitionsOf(pendingTopic);
      if (pendingPartitions !== undefined) break;
      await sleep(250);
    }
  }
  if (pendingPartitions !== inputPartitions) {
    throw new OrderflowError(
      'ORDERFLOW_CONFIG_INVALID',
      `pending topic ${pendingTopic} has ${pendingPartitions ?? 'no'} partitions but ${inputTopic} has ${inputPartitions}; ` +
        'they must match (delete the pending topic only when no order is pending)',
    );
  }
  return inputPartitions;
}

function headersOf(message: Message): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const h of message.headers ?? []) Object.assign(out, h);
  return out;
}

const keyBuffer = (key: Message['key']): Buffer | null =>
  key === null || key === undefined ? null : Buffer.isBuffer(key) ? key : Buffer.from(key);

/**
 * Read one partition of the pending topic from its beginning to its high watermark (read_committed)
 * and return the live entries: the latest value per key, tombstones deleting. A plain consumer with
 * a manual assignment (no group, no commits). An open transaction on the partition (a predecessor's
 * that is not aborted yet) holds the read back until it ends; the whole read is bounded by `timeoutMs`.
 */
export async function readPendingPartition(options: {
  bootstrap: string;
  topic: string;
  partition: number;
  dueAt: (eventTime: number) => number;
  timeoutMs: number;
}): Promise<PendingEntry[]> {
  const { topic, partition } = options;
  const consumer = new RdKafka.KafkaConsumer(
    {
      'bootstrap.servers': options.bootstrap,
      'group.id': `orderflow-pending-restore`,
      'enable.auto.commit': false,
      'enable.partition.eof': true,
      'isolation.level': 'read_committed',
      ...kafkaPassthrough(),
    },
    { 'auto.offset.reset': 'earliest' },
  );
  const deadline = Date.now() + options.timeoutMs;
  const remaining = () => Math.max(1, deadline - Date.now());
  const fail = (what: string, error?: unknown) =>
    new OrderflowError(
      'ORDERFLOW_BROKER_UNAVAILABLE',
      `restoring ${topic}[${partition}]: ${what}${error === undefined ? '' : `: ${describeError(error)}`}`,
      { cause: error, retriable: true },
    );

  await new Promise<void>((resolve, reject) =>
    consumer.connect({ timeout: remaining() }, (error) =>
      error ? reject(fail('connect', error)) : resolve(),
    ),
  );
  try {
    const { lowOffset, highOffset } = await new Promise<{ lowOffset: number; highOffset: number }>(
      (resolve, reject) =>
        consumer.queryWatermarkOffsets(topic, partition, Math.min(10_000, remaining()), (error, offsets) =>
          error ? reject(fail('watermarks', error)) : resolve(offsets),
        ),
    );
    const set = new PendingSet();
    if (highOffset <= lowOffset) return [];

    let reachedEnd = false;
    let nextOffset = lowOffset;
    consumer.on('partition.eof', (eof: EofEvent) => {
      if (eof.partition === partition && eof.offset >= highOffset) reachedEnd = true;
    });
    consumer.setDefaultConsumeTimeout(200);
    consumer.assign([{ topic, partition, offset: lowOffset }]);
    while (!reachedEnd && nextOffset < highOffset) {
      if (Date.now() >= deadline)
        throw fail(`not at the high watermark ${highOffset} within ${options.timeoutMs} ms`);
      const messages = await new Promise<Message[]>((resolve, reject) =>
        consumer.consume(500, (error, batch) => (error ? reject(fail('consume', error)) : resolve(batch))),
      );
      for (const m of messages) {
        nextOffset = m.offset + 1;
        const key = keyBuffer(m.key);
        const entry = parsePendingRecord(partition, key, m.value, headersOf(m), options.dueAt);
        if (entry) set.put(entry);
        else if (key) set.delete(partition, key);
      }
    }
    return set.all();
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}
