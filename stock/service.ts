/**
 * The stock service: consumes paid_orders, finished_orders and failed_orders and keeps the shop
 * database's stock exactly once. Each consumed batch (one partition's records) is applied in one
 * PostgreSQL transaction that also stores the partition's next offset in shop.stock_offsets; records
 * below the stored offset are skipped, so a redelivery after a crash changes nothing. Offsets are
 * committed to Kafka too, after the database commit, only as a hint where to resume reading.
 */
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { createKafka, PIPELINE_CONSUMER, type Consumer } from '../common/kafka.ts';
import type { Logger } from '../common/logger.ts';
import { pipelineNames } from '../common/names.ts';
import { AvroSerde, readSchema, type Decoder } from '../common/serde.ts';
import { connectShop } from '../common/shop-database.ts';
import { topicName } from '../schemas/topics.ts';
import type { Order } from '../schemas/types.generated.ts';
import { EventTimeBuffer, expectedStreams } from './event-order.ts';
import { applyOrder } from './apply-order.ts';
import { eventTime, type LifecycleTopic } from './movement.ts';
import { advanceClock, receiveRestocks } from './restocks.ts';

export const STOCK_SERVICE = 'stock';

export interface StockServiceOptions {
  kafkaBootstrap: string;
  registryUrl: string;
  shopDatabaseUrl: string;
  topicPrefix: string;
  batchSize: number;
  log: Logger;
  onFatal?: (error: unknown) => void;
  /** With nothing new read for this long (ms), every buffered record is applied (default 2000). */
  idleFlushMs?: number;
}

export interface StockService {
  stop(): Promise<void>;
  /** Records applied (not skipped) since start. */
  applied(): number;
}

/** Records applied per PostgreSQL transaction, at most (and no more than the batch size). */
const ROUND_LIMIT = 500;

export async function startStockService(o: StockServiceOptions): Promise<StockService> {
  const names = pipelineNames(o.topicPrefix);
  const group = names.group(STOCK_SERVICE);
  const topics = new Map<string, LifecycleTopic>([
    [topicName('paid', o.topicPrefix), 'paid'],
    [topicName('finished', o.topicPrefix), 'finished'],
    [topicName('failed', o.topicPrefix), 'failed'],
  ]);
  const decoder: Decoder<Order> = new AvroSerde(o.registryUrl).reader<Order>(readSchema('order.avsc'));
  const db = await connectShop(o.shopDatabaseUrl);
  // Where each partition was left: records below it were applied before (a redelivery skips them).
  const stored = new Map<string, bigint>();
  const offsets = await db.query<{ topic: string; partition: number; next_offset: string }>(
    'select topic, partition, next_offset from stock_offsets where consumer_group = $1',
    [group],
  );
  for (const r of offsets.rows) stored.set(`${r.topic}:${r.partition}`, BigInt(r.next_offset));
  const kafka = createKafka(o.kafkaBootstrap, `${group}`, o.log);
  const consumer: Consumer = kafka.consumer({
    'group.id': group,
    'enable.auto.commit': false,
    ...PIPELINE_CONSUMER,
    'js.consumer.max.batch.size': o.batchSize,
  } as KafkaJS.ConsumerConstructorConfig);
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics.keys()] });
  const buffer = new EventTimeBuffer();
  let applied = 0;
  let stopping = false;
  let lastRead = Date.now();
  let reading = false;
  // One round at a time: a batch's round and the idle flush never overlap.
  let chain: Promise<void> = Promise.resolve();
  const exclusive = (work: () => Promise<void>): Promise<void> => {
    const run = chain.then(work);
    chain = run.catch(() => undefined);
    return run;
  };

  /** Apply what the watermark allows (everything when `flush`), in event-time order. */
  const expected = () =>
    expectedStreams(
      consumer
        .assignment()
        .filter((tp) => topics.has(tp.topic))
        .map((tp) => ({ kind: topics.get(tp.topic)!, partition: tp.partition })),
    );
  const applyReady = async (flush: boolean): Promise<void> => {
    const streams = expected();
    for (;;) {
      if (stopping) return;
      const records = buffer.take(streams, flush, Math.min(ROUND_LIMIT, o.batchSize));
      if (records.length === 0) return;
      const touched = new Map<string, { topic: string; partition: number }>();
      for (const r of records) touched.set(`${r.topic}:${r.partition}`, r);
      const hints: { topic: string; partition: number; offset: string }[] = [];
      await db.query('begin');
      try {
        let clock = 0;
        for (const r of records) {
          if (!r.order) continue; // undecodable: logged when read, its offset moves on
          // Restocks due by this record's event time are on the shelf before it is applied.
          await receiveRestocks(db, r.at);
          await applyOrder(db, r.kind, r.order, r.at);
          clock = Math.max(clock, r.at);
          applied++;
        }
        if (clock > 0) await advanceClock(db, clock);
        for (const { topic, partition } of touched.values()) {
          const next = buffer.resumeOffset(topic, partition)!;
          await db.query(
            `insert into stock_offsets (consumer_group, topic, partition, next_offset) values ($1, $2, $3, $4)
             on conflict (consumer_group, topic, partition) do update set next_offset = excluded.next_offset`,
            [group, topic, partition, next.toString()],
          );
          hints.push({ topic, partition, offset: next.toString() });
        }
        await db.query('commit');
      } catch (error) {
        await db.query('rollback').catch(() => undefined);
        o.log.error({ err: error }, 'stock round failed');
        o.onFatal?.(error);
        throw error;
      }
      await consumer
        .commitOffsets(hints)
        .catch((error: unknown) => o.log.warn({ err: error }, 'offset hint not committed to Kafka'));
    }
  };

  await consumer.run({
    eachBatchAutoResolve: true,
    partitionsConsumedConcurrently: 1,
    eachBatch: async ({ batch }) => {
      if (stopping || batch.messages.length === 0) return;
      reading = true;
      const kind = topics.get(batch.topic)!;
      const key = `${batch.topic}:${batch.partition}`;
      // Below the stored offset: applied before a restart. Below the last added: read twice.
      const from = [stored.get(key), buffer.addedUpTo(batch.topic, batch.partition)].reduce<bigint>(
        (a, b) => (b !== undefined && b > a ? b : a),
        0n,
      );
      const fresh = batch.messages.filter((m) => BigInt(m.offset) >= from);
      await decoder.prepare(fresh.map((m) => m.value));
      for (const m of fresh) {
        let order: Order | undefined;
        try {
          order = decoder.decode(m.value);
        } catch (error) {
          o.log.warn({ err: error, topic: batch.topic, offset: m.offset }, 'undecodable record skipped');
        }
        buffer.add({
          topic: batch.topic,
          partition: batch.partition,
          offset: BigInt(m.offset),
          kind,
          at: order ? eventTime(kind, order) : -Infinity,
          order,
        });
      }
      try {
        await exclusive(() => applyReady(false));
      } finally {
        // Quiet is counted from here: applying a batch's records is not a pause in the input.
        lastRead = Date.now();
        reading = false;
      }
    },
  });

  // The end of a backfill: nothing more arrives, so the watermark cannot move; after a quiet spell
  // everything buffered is applied, still in event-time order. Not before every stream has shown a
  // record (at the start of a run the payment stage writes a whole history before the first
  // delivery), unless the quiet lasts ten times longer (a stream that has no records at all).
  const idleFlushMs = o.idleFlushMs ?? 2000;
  const idle = setInterval(
    () => {
      const quiet = Date.now() - lastRead;
      if (stopping || reading || buffer.size() === 0 || quiet < idleFlushMs) return;
      if (quiet < idleFlushMs * 10 && !buffer.heardFrom(expected())) return;
      exclusive(() => applyReady(true)).catch(() => undefined);
    },
    Math.max(50, Math.min(500, idleFlushMs / 4)),
  );

  return {
    applied: () => applied,
    stop: async () => {
      stopping = true;
      clearInterval(idle);
      await chain;
      await consumer.disconnect();
      await db.end();
    },
  };
}
