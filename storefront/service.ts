/**
 * The storefront service: reads unpaid_orders (read_committed) and, for each online order, writes
 * the storefront session behind it (its customer's abandoned carts, then the cart it checks out)
 * to cart_events, exactly once on the shared stage runtime: the events and the consumed offsets
 * commit in one Kafka transaction, so a redelivered order after a crash writes nothing twice. The
 * session itself is storefront/cart-model.ts; the handler storefront/sessions.ts.
 */
import { startHealthServer, type HealthServer } from '../common/http.ts';
import { createKafka } from '../common/kafka.ts';
import type { Logger } from '../common/logger.ts';
import { collectProcessMetrics } from '../common/metrics.ts';
import { pipelineNames } from '../common/names.ts';
import { AvroSerde, readSchema } from '../common/serde.ts';
import { StageRuntime, type Sink } from '../runtime/index.ts';
import { TOPICS, topicName, valueSubject } from '../schemas/topics.ts';
import type { CartEvent, Order } from '../schemas/types.generated.ts';
import { CartModel } from './cart-model.ts';
import { storefrontHandler } from './sessions.ts';

export const STOREFRONT_SERVICE = 'storefront';

export interface StorefrontOptions {
  kafkaBootstrap: string;
  registryUrl: string;
  topicPrefix: string;
  seed: number;
  instanceId: string;
  batchSize: number;
  port: number;
  host: string;
  log: Logger;
  onFatal?: (error: unknown) => void;
}

export interface RunningStorefront {
  runtime: StageRuntime<Order>;
  server: HealthServer;
  stop(): Promise<void>;
}

/** Register the cart event schema, then start consuming; returns once the service consumes. */
export async function startStorefront(o: StorefrontOptions): Promise<RunningStorefront> {
  const serde = new AvroSerde(o.registryUrl);
  const topic = topicName('cartEvents', o.topicPrefix);
  const carts: Sink<CartEvent> = {
    topic,
    encoder: await serde.writer<CartEvent>(valueSubject(topic), readSchema(TOPICS.cartEvents.schema)),
  };
  const names = pipelineNames(o.topicPrefix);
  const runtime = new StageRuntime<Order>({
    stage: STOREFRONT_SERVICE,
    kafka: createKafka(o.kafkaBootstrap, names.clientId(STOREFRONT_SERVICE, o.instanceId), o.log),
    groupId: names.group(STOREFRONT_SERVICE),
    instanceId: o.instanceId,
    transactionalId: names.transactionalId(STOREFRONT_SERVICE, o.instanceId),
    inputTopics: [topicName('unpaid', o.topicPrefix)],
    decoder: serde.reader<Order>(readSchema(TOPICS.unpaid.schema)),
    handle: storefrontHandler(new CartModel(o.seed), carts),
    batchSize: o.batchSize,
    log: o.log,
    onFatal: o.onFatal,
  });
  collectProcessMetrics();
  const server = await startHealthServer({
    port: o.port,
    host: o.host,
    ready: () => runtime.ready,
    details: () => ({
      service: STOREFRONT_SERVICE,
      instance: o.instanceId,
      partitions: runtime.assignedPartitions,
    }),
    log: o.log,
  });
  try {
    await runtime.start();
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    runtime,
    server,
    async stop() {
      await runtime.stop();
      await server.close();
    },
  };
}
