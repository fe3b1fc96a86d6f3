import { setTimeout as sleep } from 'node:timers/promises';
/**
 * A landing pipeline for one test file: its own topics (unique prefix), its own warehouse schema,
 * its own sink connectors and an in-process splitter. Orders come from the seeded generator and
 * the stage transforms, so they are what the processors would put on finished/failed_orders.
 */
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { deleteSinks, deploySinks } from '../../../connect/deploy.ts';
import { runReconcile } from '../../../connect/reconcile.ts';
import type { SinkValues } from '../../../connect/sink-config.ts';
import { PROFILES } from '../../../processors/profiles.ts';
import type { StageRuntime } from '../../../runtime/index.ts';
import { checkOrder } from '../../../schemas/invariants.ts';
import { topicName } from '../../../schemas/topics.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { connectWarehouse } from '../../../common/database.ts';
import { migrate } from '../../../warehouse/migrate.ts';
import { conn, createTopics, deleteTopics, localSinkValues, log, uniquePrefix } from '../helpers.ts';
import { sampleOrders, startTestSplitter } from '../processors/pipeline.ts';
import { runChain } from '../../unit/processors/chain.ts';
import { orderWriter } from '../order-writer.ts';

/** Orders at the end of their lifecycle: `finished` (delivered) and `failed`, all invariant-clean. */
export function finalOrders(count: number, seed: number): { finished: Order[]; failed: Order[] } {
  return throughLifecycle(sampleOrders(count, seed), seed);
}

/**
 * Generated orders through the three stages' transforms (default profile, each draw seeded by the
 * seed, the stage and the order id), as the processors would run them: where each one ends.
 */
export function throughLifecycle(
  orders: Iterable<Order>,
  seed: number,
): { finished: Order[]; failed: Order[] } {
  const finished: Order[] = [];
  const failed: Order[] = [];
  for (const unpaid of orders) {
    const order = runChain(unpaid, seed, PROFILES.default);
    (order.failure ? failed : finished).push(order);
  }
  for (const o of finished)
    if (checkOrder(o, 'finished').length) throw new Error(`bad fixture ${o.order_id}`);
  for (const o of failed) if (checkOrder(o, 'failed').length) throw new Error(`bad fixture ${o.order_id}`);
  return { finished, failed };
}

export interface LandingPipeline {
  prefix: string;
  schema: string;
  sinkValues: SinkValues;
  /** The in-process splitter (absent with `{ splitter: false }`: the test runs its own). */
  splitter: StageRuntime<Order> | undefined;
  /** Write orders to <prefix>finished_orders / <prefix>failed_orders. */
  send(orders: { finished: Order[]; failed: Order[] }): Promise<void>;
  sendRaw(topic: string, messages: KafkaJS.Message[]): Promise<void>;
  query<R extends object>(sql: string): Promise<R[]>;
  /** `orderflow reconcile` of this pipeline's topics against its warehouse schema. */
  reconcile(): ReturnType<typeof runReconcile>;
  close(): Promise<void>;
}

export async function startLanding(
  label: string,
  options: { splitter?: boolean } = {},
): Promise<LandingPipeline> {
  const prefix = uniquePrefix(label);
  const schema = `${prefix}wh`.toLowerCase();
  await createTopics(prefix);
  await migrate(conn.databaseUrl, schema);
  const sinkValues = localSinkValues(prefix, schema);
  const deployed = await deploySinks(conn.connectUrl, sinkValues, 120_000);
  if (!deployed.healthy) {
    await deleteSinks(conn.connectUrl, sinkValues).catch(() => undefined);
    const db = await connectWarehouse(conn.databaseUrl, schema);
    await db.query(`drop schema if exists "${schema}" cascade`).finally(() => db.end());
    await deleteTopics(prefix).catch(() => undefined);
    throw new Error(`sinks not RUNNING: ${JSON.stringify([...deployed.statuses])}`);
  }

  const splitter = options.splitter === false ? undefined : await startTestSplitter(prefix);

  const writer = await orderWriter('orderflow-test-landing', { partitioner: 'murmur2_random' });
  for (const key of ['finished', 'failed'] as const) await writer.register(topicName(key, prefix));
  const db = await connectWarehouse(conn.databaseUrl, schema);
  // A fault test restarts PostgreSQL under this client: its loss must not be an uncaught exception.
  db.on('error', (error) => log.warn({ err: error }, 'landing fixture: database connection lost'));

  return {
    prefix,
    schema,
    sinkValues,
    splitter,
    async send(orders) {
      await writer.send(topicName('finished', prefix), orders.finished);
      await writer.send(topicName('failed', prefix), orders.failed);
    },
    async sendRaw(topic, messages) {
      await writer.producer.send({ topic, messages });
    },
    async query<R extends object>(sql: string) {
      return (await db.query<R>(sql)).rows;
    },
    reconcile: () =>
      runReconcile({
        kafkaBootstrap: conn.kafkaBootstrap,
        registryUrl: conn.registryUrl,
        databaseUrl: conn.databaseUrl,
        topicPrefix: prefix,
        warehouseSchema: schema,
        timeoutMs: 120_000,
        log,
      }),
    async close() {
      await splitter?.stop().catch(() => undefined);
      await writer.close();
      await deleteSinks(conn.connectUrl, sinkValues).catch(() => undefined);
      await db.query(`drop schema if exists "${schema}" cascade`).catch(() => undefined);
      await db.end().catch(() => undefined);
      await deleteTopics(prefix).catch(() => undefined);
    },
  };
}

/** Poll `probe` until it returns true or `timeoutMs` passes; returns the last answer. */
export async function eventually(
  probe: () => Promise<boolean>,
  timeoutMs: number,
  pollMs = 500,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > deadline) return false;
    await sleep(pollMs);
  }
}
