/**
 * The stock service's set-up for one test file, shared by the shop tests: the pipeline's topics
 * under a unique prefix, a fresh shop database (migrated and seeded), a writer of lifecycle
 * records, and the stock service either in this process or as `orderflow stock` (the command line
 * an operator runs). Registers its own beforeAll and afterAll: the service is stopped (or killed),
 * the writer closed, the shop database dropped and every topic under the prefix deleted after the
 * file, whatever happened. A test file's own hooks registered after it run after its set-up and
 * before its teardown (vitest runs after-hooks in reverse order).
 */
import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { connectShop, migrateShop } from '../../../common/shop-database.ts';
import { topicName } from '../../../schemas/topics.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import type { LifecycleTopic } from '../../../stock/movement.ts';
import { startStockService, type StockService } from '../../../stock/service.ts';
import { conn, createTopics, deleteTopicsWhere, log, uniquePrefix } from '../helpers.ts';
import { orderWriter, type OrderWriter } from '../order-writer.ts';
import { spawnService, type ServiceRun } from '../services.ts';
import { dropShop, freshShopUrl } from './fresh-shop.ts';

/** The records the stock service reads: each order's payment (if paid) and its end. */
export type Lifecycle = Record<LifecycleTopic, Order[]>;

/**
 * The lifecycle records of orders that reached their end: `paid` holds every order paid (delivered,
 * or failed after payment) in payment-time order, as the payment stage emits them.
 */
export function lifecycleOf(ends: { finished: Order[]; failed: Order[] }): Lifecycle {
  const paid = [...ends.finished, ...ends.failed.filter((o) => o.failure?.stage !== 'payment')].sort(
    (a, b) => a.payment_info.payment_date! - b.payment_info.payment_date!,
  );
  return { paid, finished: ends.finished, failed: ends.failed };
}

/** Number of records in a lifecycle. */
export function recordCount(records: Partial<Lifecycle>): number {
  return (records.paid?.length ?? 0) + (records.finished?.length ?? 0) + (records.failed?.length ?? 0);
}

export interface StockFixture {
  readonly prefix: string;
  readonly shopUrl: string;
  /** Write records to their topics: paid, then finished, then failed. */
  send(records: Partial<Lifecycle>): Promise<void>;
  /** Write `orders` to one lifecycle topic, to `partition` when given (else by key). */
  sendTo(topic: LifecycleTopic, orders: readonly Order[], partition?: number): Promise<void>;
  /** The stock service in this process (stopped at teardown); a fatal batch error is rethrown by `fatal()`. */
  start(batchSize: number): Promise<StockService>;
  /** `orderflow stock` on this prefix and shop database as a child process (killed at teardown). */
  spawn(batchSize: number): ServiceRun;
  /** Throws the in-process service's fatal error, if it had one. */
  fatal(): void;
  /** Records the service has stored offsets past: the sum of next_offset over its partitions. */
  progress(): Promise<number>;
  /** Run `work` on a fresh connection to the shop database (closed after). */
  shop<T>(work: (db: pg.Client) => Promise<T>): Promise<T>;
}

export function stockFixture(label: string, options: { seed?: number } = {}): StockFixture {
  const prefix = uniquePrefix(label);
  const shopUrl = freshShopUrl(label);
  let writer: OrderWriter | undefined;
  const services: StockService[] = [];
  const children: ServiceRun[] = [];
  let failure: unknown;

  beforeAll(async () => {
    await createTopics(prefix);
    await migrateShop(shopUrl, options.seed ?? 1);
    writer = await orderWriter(`orderflow-test-${label}`);
  });

  afterAll(async () => {
    for (const s of services) await s.stop().catch(() => undefined);
    for (const c of children) {
      if (c.child.exitCode === null && c.child.signalCode === null) {
        c.child.kill('SIGKILL');
        await c.exit;
      }
    }
    await writer?.close();
    await dropShop(shopUrl);
    // The pipeline's topics and any other under the prefix (a test's change topics).
    await deleteTopicsWhere((t) => t.startsWith(prefix)).catch(() => undefined);
  });

  const shop = async <T>(work: (db: pg.Client) => Promise<T>): Promise<T> => {
    const db = await connectShop(shopUrl);
    try {
      return await work(db);
    } finally {
      await db.end();
    }
  };

  return {
    prefix,
    shopUrl,
    async send(records) {
      for (const key of ['paid', 'finished', 'failed'] as const) {
        const list = records[key];
        if (list?.length) await writer!.send(topicName(key, prefix), list);
      }
    },
    async sendTo(topic, orders, partition) {
      await writer!.send(topicName(topic, prefix), orders, partition);
    },
    async start(batchSize) {
      const service = await startStockService({
        kafkaBootstrap: conn.kafkaBootstrap,
        registryUrl: conn.registryUrl,
        shopDatabaseUrl: shopUrl,
        topicPrefix: prefix,
        batchSize,
        log,
        onFatal: (error) => (failure = error),
      });
      services.push(service);
      return service;
    },
    spawn(batchSize) {
      const run = spawnService([
        'stock',
        '--topic-prefix',
        prefix,
        '--shop-database-url',
        shopUrl,
        '--batch-size',
        String(batchSize),
      ]);
      children.push(run);
      return run;
    },
    fatal() {
      if (failure) throw failure;
    },
    progress: () =>
      shop(async (db) => {
        const { rows } = await db.query<{ n: string | null }>(
          `select sum(next_offset) as n from stock_offsets`,
        );
        return Number(rows[0]?.n ?? 0);
      }),
    shop,
  };
}
