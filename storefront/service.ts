/**
 * The storefront service: reads unpaid_orders (read_committed) and, for each online order, writes
 * the storefront session behind it (its customer's abandoned carts, then the cart it checks out)
 * to cart_events, exactly once on the shared stage runtime: the events and the consumed offsets
 * commit in one Kafka transaction, so a redelivered order after a crash writes nothing twice. The
 * session itself is storefront/cart-model.ts; the handler storefront/sessions.ts.
 */
import type { Logger } from '../common/logger.ts';
import { AvroSerde, readSchema } from '../common/serde.ts';
import { StageRuntime, type Sink } from '../runtime/index.ts';
import { pipelineStage, serveStage, type ServedStage } from '../runtime/stage-service.ts';
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

export type RunningStorefront = ServedStage<Order>;

/** Register the cart event schema, then start consuming; returns once the service consumes. */
export async function startStorefront(o: StorefrontOptions): Promise<RunningStorefront> {
  const serde = new AvroSerde(o.registryUrl);
  const topic = topicName('cartEvents', o.topicPrefix);
  const carts: Sink<CartEvent> = {
    topic,
    encoder: await serde.writer<CartEvent>(valueSubject(topic), readSchema(TOPICS.cartEvents.schema)),
  };
  const runtime = new StageRuntime<Order>({
    ...pipelineStage({ stage: STOREFRONT_SERVICE, ...o }),
    inputTopics: [topicName('unpaid', o.topicPrefix)],
    decoder: serde.reader<Order>(readSchema(TOPICS.unpaid.schema)),
    handle: storefrontHandler(new CartModel(o.seed), carts),
    batchSize: o.batchSize,
  });
  return serveStage(runtime, { ...o, label: { service: STOREFRONT_SERVICE } });
}
