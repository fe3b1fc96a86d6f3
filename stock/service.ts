/**
 * The stock service: consumes paid_orders, finished_orders and failed_orders and keeps the shop
 * database's stock exactly once. Each consumed batch (one partition's records) is applied in one
 * PostgreSQL transaction that also stores the partition's next offset in shop.stock_offsets; records
 * below the stored offset are skipped, so a redelivery after a crash changes nothing. Offsets are
 * committed to Kafka too, after the database commit, only as a hint where to resume reading.
 */
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import type pg from 'pg';
import { createKafka, PIPELINE_CONSUMER, type Consumer } from '../common/kafka.ts';
import type { Logger } from '../common/logger.ts';
import { pipelineNames } from '../common/names.ts';
import { AvroSerde, readSchema, type Decoder } from '../common/serde.ts';
import { connectShop } from '../common/shop-database.ts';
import { SHOP_LOCATIONS } from '../common/shop-seed.ts';
import { topicName } from '../schemas/topics.ts';
import type { Order } from '../schemas/types.generated.ts';
import { EventTimeBuffer, expectedStreams } from './event-order.ts';
import { eventTime, orderLines, split, stockEvent, type LifecycleTopic } from './movement.ts';
import {
  DEMAND_WINDOW_DAYS,
  demandDay,
  demandRate,
  reorderLevels,
  restockQuantity,
} from './reorder-policy.ts';

export const STOCK_SERVICE = 'stock';
/** Orders are fulfilled from the central warehouse (the only location until the shop has stores). */
const LOCATION = SHOP_LOCATIONS[0]!.location_id;
const DAY_MS = 86_400_000;

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

async function movement(
  db: pg.Client,
  sku: number,
  kind: string,
  quantity: number,
  at: number,
  ref: { order?: string; restock?: string },
): Promise<void> {
  if (quantity === 0) return;
  await db.query(
    `insert into stock_movements (sku, location_id, kind, quantity, event_time, order_id, restock_id)
     values ($1, $2, $3, $4, to_timestamp($5 / 1000.0), $6, $7)`,
    [sku, LOCATION, kind, quantity, at, ref.order ?? null, ref.restock ?? null],
  );
}

/** Apply one lifecycle record. Order-insensitive: an end seen before its payment is handled too. */
async function applyOrder(db: pg.Client, kind: LifecycleTopic, order: Order, at: number): Promise<void> {
  const event = stockEvent(kind, order);
  const id = order.order_id;
  const { rows } = await db.query<{ paid: boolean; ended: string | null }>(
    `insert into stock_orders (order_id) values ($1) on conflict (order_id) do update set order_id = excluded.order_id
     returning paid, ended`,
    [id],
  );
  const state = rows[0]!;
  const lines = orderLines(order);
  const touched = [...lines.keys()];
  if (event.kind === 'paid') {
    if (state.paid) return;
    await db.query('update stock_orders set paid = true where order_id = $1', [id]);
    if (state.ended !== null) return; // its end came first and settled the stock already
    for (const [sku, qty] of lines) {
      const s = await db.query<{ available: number }>(
        `select on_hand - reserved as available from stock where sku = $1 and location_id = $2 for update`,
        [sku, LOCATION],
      );
      const { take, backorder } = split(qty, s.rows[0]?.available ?? 0);
      await db.query(
        `update stock set reserved = reserved + $3, backordered = backordered + $4 where sku = $1 and location_id = $2`,
        [sku, LOCATION, take, backorder],
      );
      await db.query(
        `insert into stock_reservations (order_id, sku, location_id, reserved, backordered) values ($1, $2, $3, $4, $5)`,
        [id, sku, LOCATION, take, backorder],
      );
      await recordDemand(db, sku, qty, at);
      await movement(db, sku, 'reserve', take, at, { order: id });
      await movement(db, sku, 'backorder', backorder, at, { order: id });
    }
    await reorder(db, touched, at);
    return;
  }
  if (state.ended !== null) return;
  await db.query('update stock_orders set ended = $2 where order_id = $1', [id, event.end]);
  if (event.end === 'none') return;
  if (state.paid) {
    const held = await db.query<{ sku: number; reserved: number }>(
      `select sku, reserved from stock_reservations where order_id = $1`,
      [id],
    );
    for (const r of held.rows) {
      const consumed = event.end === 'released' ? 0 : r.reserved;
      await db.query(
        `update stock set reserved = reserved - $3, on_hand = on_hand - $4 where sku = $1 and location_id = $2`,
        [r.sku, LOCATION, r.reserved, consumed],
      );
      if (event.end === 'released') await movement(db, r.sku, 'release', r.reserved, at, { order: id });
      else await movement(db, r.sku, 'consume', r.reserved, at, { order: id });
      if (event.end === 'returned') {
        await db.query(`update stock set on_hand = on_hand + $3 where sku = $1 and location_id = $2`, [
          r.sku,
          LOCATION,
          r.reserved,
        ]);
        await movement(db, r.sku, 'return', r.reserved, at, { order: id });
      }
    }
  } else if (event.end !== 'released') {
    // Delivered (or returned) before its payment record was read: take the goods off the shelf now.
    for (const [sku, qty] of lines) {
      const s = await db.query<{ available: number }>(
        `select on_hand - reserved as available from stock where sku = $1 and location_id = $2 for update`,
        [sku, LOCATION],
      );
      const { take, backorder } = split(qty, s.rows[0]?.available ?? 0);
      await db.query(
        `update stock set on_hand = on_hand - $3, backordered = backordered + $4 where sku = $1 and location_id = $2`,
        [sku, LOCATION, take, backorder],
      );
      await db.query(
        `insert into stock_reservations (order_id, sku, location_id, reserved, backordered) values ($1, $2, $3, 0, $4)`,
        [id, sku, LOCATION, backorder],
      );
      await recordDemand(db, sku, qty, at);
      await movement(db, sku, 'consume', take, at, { order: id });
      await movement(db, sku, 'backorder', backorder, at, { order: id });
      if (event.end === 'returned') {
        await db.query(`update stock set on_hand = on_hand + $3 where sku = $1 and location_id = $2`, [
          sku,
          LOCATION,
          take,
        ]);
        await movement(db, sku, 'return', take, at, { order: id });
      }
    }
  }
  await reorder(db, touched, at);
}

/** Count the units an order wanted of a SKU on its event-time day (the reorder policy's demand). */
async function recordDemand(db: pg.Client, sku: number, units: number, at: number): Promise<void> {
  await db.query(
    `insert into stock_demand (sku, location_id, day, units) values ($1, $2, $3, $4)
     on conflict (sku, location_id, day) do update set units = stock_demand.units + excluded.units`,
    [sku, LOCATION, demandDay(at), units],
  );
}

/**
 * Raise a purchase order for each touched SKU whose inventory position (available plus on order)
 * fell below its reorder point, sized up to its order-up-to level; both follow the SKU's trailing
 * demand (stock/reorder-policy.ts). On order counts only the purchase orders raised at or before
 * this record's event time: one raised by a partition that is months ahead (a backfill read
 * partition by partition) arrives only when the clock gets there, and used to block every earlier
 * record's reorder until then (two-year backfill, seed 1: SKU 10 backordered from May 2024 on).
 */
async function reorder(db: pg.Client, skus: number[], at: number): Promise<void> {
  const today = demandDay(at);
  const { rows } = await db.query<{
    sku: number;
    available: number;
    on_order: string;
    reorder_point: number;
    reorder_quantity: number;
    lead_time_days: number;
    units: string | null;
    first_day: number | null;
    n: string;
  }>(
    `select p.sku, s.on_hand - s.reserved as available, p.reorder_point, p.reorder_quantity, p.lead_time_days,
            (select coalesce(sum(r.quantity), 0) from restocks r
              where r.sku = p.sku and r.location_id = s.location_id and r.status = 'ordered'
                and r.ordered_at <= to_timestamp($5 / 1000.0)) as on_order,
            (select sum(d.units) from stock_demand d
              where d.sku = p.sku and d.location_id = s.location_id and d.day > $3::int - $4::int and d.day <= $3::int) as units,
            (select min(d.day) from stock_demand d where d.sku = p.sku and d.location_id = s.location_id) as first_day,
            (select count(*) from restocks r where r.sku = p.sku and r.location_id = s.location_id) as n
       from stock s join products p using (sku)
      where s.location_id = $2 and s.sku = any($1::int[])
      order by p.sku`,
    [skus, LOCATION, today, DEMAND_WINDOW_DAYS, at],
  );
  for (const r of rows) {
    const levels = reorderLevels(demandRate(Number(r.units ?? 0), today, r.first_day), {
      leadTimeDays: r.lead_time_days,
      minReorderPoint: r.reorder_point,
      minReorderQuantity: r.reorder_quantity,
    });
    const quantity = restockQuantity(r.available, Number(r.on_order), levels);
    if (quantity <= 0) continue;
    await db.query(
      `insert into restocks (restock_id, sku, location_id, quantity, status, ordered_at, expected_at)
       values ($1, $2, $3, $4, 'ordered', to_timestamp($5 / 1000.0), to_timestamp($6 / 1000.0))`,
      [
        `${r.sku}-${LOCATION}-${Number(r.n) + 1}`,
        r.sku,
        LOCATION,
        quantity,
        at,
        at + r.lead_time_days * DAY_MS,
      ],
    );
  }
}

/**
 * Move the event-time clock forward, put the scheduled price and cost in force by then on each
 * product (shop.price_changes, reference/price-schedule.ts) and receive every restock due by then.
 */
async function advanceClock(db: pg.Client, at: number): Promise<void> {
  const { rows } = await db.query<{ event_time: Date }>(
    `insert into stock_clock (id, event_time) values (1, to_timestamp($1 / 1000.0))
     on conflict (id) do update set event_time = greatest(stock_clock.event_time, excluded.event_time)
     returning event_time`,
    [at],
  );
  await db.query(
    `update products p set price = c.price, cost = c.cost
       from (select distinct on (sku) sku, price, cost from price_changes
              where effective_at <= $1 order by sku, effective_at desc) c
      where c.sku = p.sku and (p.price, p.cost) is distinct from (c.price, c.cost)`,
    [rows[0]!.event_time],
  );
  await receiveRestocks(db, rows[0]!.event_time.getTime());
}

/** Receive every restock due by event time `at` (UTC ms): on the shelf at its expected time. */
async function receiveRestocks(db: pg.Client, at: number): Promise<void> {
  const due = await db.query<{
    restock_id: string;
    sku: number;
    location_id: string;
    quantity: number;
    expected_at: Date;
  }>(
    `update restocks set status = 'received', received_at = expected_at
      where status = 'ordered' and expected_at <= to_timestamp($1 / 1000.0)
      returning restock_id, sku, location_id, quantity, expected_at`,
    [at],
  );
  for (const r of due.rows.sort(
    (a, b) => a.expected_at.getTime() - b.expected_at.getTime() || (a.restock_id < b.restock_id ? -1 : 1),
  )) {
    await db.query(`update stock set on_hand = on_hand + $3 where sku = $1 and location_id = $2`, [
      r.sku,
      r.location_id,
      r.quantity,
    ]);
    await movement(db, r.sku, 'restock', r.quantity, r.expected_at.getTime(), { restock: r.restock_id });
  }
}
