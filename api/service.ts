/**
 * The order API's wiring: the order schema registered under unpaid_orders' subject, the
 * transactional writer connected (fencing any predecessor), the view caught up on the lifecycle
 * topics, then the HTTP server listening. Returns the running API (call stop()).
 */
import { createKafka } from '../common/kafka.ts';
import type { Logger } from '../common/logger.ts';
import { pipelineNames } from '../common/names.ts';
import { AvroSerde, readSchema } from '../common/serde.ts';
import { TOPICS, topicName, valueSubject } from '../schemas/topics.ts';
import type { Order } from '../schemas/types.generated.ts';
import { OrderDesk } from './order-desk.ts';
import { PriceBook } from '../reference/price-schedule.ts';
import { OrderView } from './order-view.ts';
import { OrderWriter } from './order-writer.ts';
import { buildApi } from './server.ts';

export interface ApiOptions {
  kafkaBootstrap: string;
  registryUrl: string;
  topicPrefix: string;
  host: string;
  /** 0: any free port (tests). */
  port: number;
  /** Seed of the price schedule the orders are priced from (the generator's and the shop's). */
  seed: number;
  log: Logger;
  now?: () => number;
  onFatal: (error: unknown) => void;
}

export interface RunningApi {
  /** Base URL, e.g. http://127.0.0.1:8085 */
  url: string;
  stop(): Promise<void>;
}

/** How long start-up may take to read the lifecycle topics to their end. */
const CATCH_UP_TIMEOUT_MS = 120_000;

export async function startApi(o: ApiOptions): Promise<RunningApi> {
  const names = pipelineNames(o.topicPrefix);
  const serde = new AvroSerde(o.registryUrl);
  const schema = readSchema(TOPICS.unpaid.schema);
  const encoder = await serde.writer<Order>(valueSubject(topicName('unpaid', o.topicPrefix)), schema);
  const kafka = createKafka(o.kafkaBootstrap, names.clientId('api', 'orders'), o.log);
  const writer = await OrderWriter.open({ kafka, encoder, topicPrefix: o.topicPrefix, onFatal: o.onFatal });
  const admin = kafka.admin();
  const view = new OrderView({
    kafkaBootstrap: o.kafkaBootstrap,
    topicPrefix: o.topicPrefix,
    decoder: serde.reader<Order>(schema),
    admin,
    log: o.log,
    catchUpTimeoutMs: CATCH_UP_TIMEOUT_MS,
    onFatal: o.onFatal,
  });
  try {
    await admin.connect();
    await view.catchUp();
  } catch (error) {
    await view.close();
    await writer.close().catch(() => undefined);
    throw error;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  const desk = new OrderDesk({
    view,
    writer,
    topicPrefix: o.topicPrefix,
    now: o.now ?? Date.now,
    prices: new PriceBook(o.seed),
  });
  const app = buildApi({ desk, view, log: o.log });
  try {
    await app.listen({ host: o.host, port: o.port });
  } catch (error) {
    await view.close();
    await writer.close().catch(() => undefined);
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  const url = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`;
  o.log.info({ url, orders: view.size, transactionalId: writer.transactionalId }, 'order API listening');
  return {
    url,
    async stop() {
      // Waiting requests are answered first (the view wakes them), then no more writes, then Kafka.
      await view.close();
      await app.close();
      await writer.close();
    },
  };
}
