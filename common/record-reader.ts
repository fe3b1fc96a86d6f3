import { RdKafka } from '@confluentinc/kafka-javascript';
import type { EofEvent, Message } from '@confluentinc/kafka-javascript';
import { OrderflowError, describeError } from './errors.ts';
import { kafkaPassthrough } from './settings.ts';

/** One record as read: raw key, value and headers (header values as bytes). */
export interface RawRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number | null;
  key: Buffer | null;
  value: Buffer | null;
  headers: { key: string; value: Buffer | null }[];
}

/** A range of one partition to read: from `from` (inclusive) to `to` (exclusive, a high watermark). */
export interface PartitionRange {
  topic: string;
  partition: number;
  from: number;
  to: number;
}

export interface ReadResult {
  records: RawRecord[];
  /** Records passed to `keep` (read), kept or not. */
  scanned: number;
  /** Every range was read to its end (false: stopped at the record or time limit). */
  complete: boolean;
}

const asBuffer = (v: unknown): Buffer | null =>
  v === null || v === undefined ? null : Buffer.isBuffer(v) ? v : Buffer.from(String(v));

function toRaw(m: Message): RawRecord {
  const headers: RawRecord['headers'] = [];
  for (const h of m.headers ?? [])
    for (const [key, value] of Object.entries(h)) headers.push({ key, value: asBuffer(value) });
  return {
    topic: m.topic,
    partition: m.partition,
    offset: m.offset,
    timestamp: m.timestamp ?? null,
    key: asBuffer(m.key),
    value: asBuffer(m.value),
    headers,
  };
}

/**
 * Read the given partition ranges with a plain consumer (manual assignment, no group, nothing
 * committed, read_committed: aborted records and transaction markers are skipped), bounded by
 * `maxRecords` kept records and `timeoutMs`. A range ends at its `to` offset or at the end of the
 * partition, whichever comes first.
 */
export async function readRanges(
  bootstrap: string,
  ranges: PartitionRange[],
  options: {
    maxRecords: number;
    timeoutMs: number;
    keep?: (r: RawRecord) => boolean;
    /** Client id (and the unused group id) the broker sees. */
    clientId?: string;
  },
): Promise<ReadResult> {
  const open = new Map<string, PartitionRange>();
  for (const r of ranges) if (r.to > r.from) open.set(`${r.topic}/${r.partition}`, r);
  const result: ReadResult = { records: [], scanned: 0, complete: true };
  if (open.size === 0) return result;
  const deadline = Date.now() + options.timeoutMs;
  const consumer = new RdKafka.KafkaConsumer(
    {
      'bootstrap.servers': bootstrap,
      'group.id': options.clientId ?? 'orderflow-reader',
      'client.id': options.clientId ?? 'orderflow-reader',
      'enable.auto.commit': false,
      'enable.partition.eof': true,
      'isolation.level': 'read_committed',
      'fetch.wait.max.ms': 50,
      ...kafkaPassthrough(),
    },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((resolve, reject) =>
    consumer.connect({ timeout: Math.max(1000, deadline - Date.now()) }, (error) =>
      error
        ? reject(
            new OrderflowError(
              'ORDERFLOW_BROKER_UNAVAILABLE',
              `cannot read from ${bootstrap}: ${describeError(error)}`,
              {
                cause: error,
                retriable: true,
              },
            ),
          )
        : resolve(),
    ),
  );
  try {
    // The client emits a batch's end-of-partition events before handing over its messages: note
    // them here and close the ranges after the batch is counted.
    const eofs = new Map<string, number>();
    consumer.on('partition.eof', (eof: EofEvent) => {
      eofs.set(`${eof.topic}/${eof.partition}`, eof.offset);
    });
    consumer.setDefaultConsumeTimeout(100);
    consumer.assign(
      [...open.values()].map((r) => ({ topic: r.topic, partition: r.partition, offset: r.from })),
    );
    outer: while (open.size > 0) {
      if (Date.now() >= deadline) {
        result.complete = false;
        break;
      }
      const batch = await new Promise<Message[]>((resolve, reject) =>
        consumer.consume(1000, (error, got) => (error ? reject(error) : resolve(got))),
      );
      for (const m of batch) {
        const key = `${m.topic}/${m.partition}`;
        const r = open.get(key);
        if (!r) continue;
        if (m.offset >= r.to) {
          open.delete(key);
          continue;
        }
        if (m.offset === r.to - 1) open.delete(key);
        const raw = toRaw(m);
        result.scanned++;
        if (options.keep && !options.keep(raw)) continue;
        result.records.push(raw);
        if (result.records.length >= options.maxRecords) {
          result.complete = open.size === 0;
          break outer;
        }
      }
      for (const [key, offset] of eofs) {
        const r = open.get(key);
        if (r && offset >= r.from) open.delete(key);
      }
      eofs.clear();
    }
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
  return result;
}
