/**
 * The splitter service: reads finished_orders and failed_orders and writes the split topics
 * (orders, customers, order_items) exactly once, on the shared stage runtime. Stands in for the
 * ksqlDB statements in ksql/ where ksqlDB is not available; the split itself is splitter/split.ts.
 */
import { pipelineNames } from '../common/names.ts';
import type { Logger } from '../common/logger.ts';
import { AvroSerde, readSchema } from '../common/serde.ts';
import { emit, StageRuntime, type Output, type Sink } from '../runtime/index.ts';
import { pipelineStage } from '../runtime/stage-service.ts';
import type { Customers, Order, OrderItems, Orders } from '../schemas/types.generated.ts';
import { TOPICS, topicName, valueSubject } from '../schemas/topics.ts';
import { split } from './split.ts';

export interface SplitterOptions {
  kafkaBootstrap: string;
  registryUrl: string;
  topicPrefix: string;
  instanceId: string;
  batchSize: number;
  log: Logger;
  onFatal?: (error: unknown) => void;
}

export const SPLITTER_STAGE = 'splitter';

/** The consumer group of the splitter instances of one pipeline. */
export function splitterGroup(prefix: string): string {
  return pipelineNames(prefix).group(SPLITTER_STAGE);
}

async function sink<T>(
  serde: AvroSerde,
  key: 'orders' | 'customers' | 'orderItems',
  prefix: string,
): Promise<Sink<T>> {
  const topic = topicName(key, prefix);
  return { topic, encoder: await serde.writer<T>(valueSubject(topic), readSchema(TOPICS[key].schema)) };
}

/** Register the split schemas, then start consuming; returns the running runtime (call stop()). */
export async function startSplitter(o: SplitterOptions): Promise<StageRuntime<Order>> {
  const serde = new AvroSerde(o.registryUrl);
  const ordersSink = await sink<Orders>(serde, 'orders', o.topicPrefix);
  const customersSink = await sink<Customers>(serde, 'customers', o.topicPrefix);
  const itemsSink = await sink<OrderItems>(serde, 'orderItems', o.topicPrefix);

  const handle = (order: Order): Output[] => {
    const out = split(order);
    const origin = { originTime: order.order_date };
    return [
      emit(ordersSink, out.orders[0], out.orders[1], origin),
      emit(customersSink, out.customers[0], out.customers[1], origin),
      ...out.orderItems.map(([key, row]) => emit(itemsSink, key, row, origin)),
    ];
  };

  const runtime = new StageRuntime<Order>({
    // Until this release the splitter's id was orderflow-splitter-<prefix><instance>: a restart
    // after the upgrade does not fence a predecessor still running the old release (stop it first).
    ...pipelineStage({ stage: SPLITTER_STAGE, ...o }),
    inputTopics: [topicName('finished', o.topicPrefix), topicName('failed', o.topicPrefix)],
    decoder: serde.reader<Order>(readSchema('order.avsc')),
    handle,
    batchSize: o.batchSize,
  });
  await runtime.start();
  return runtime;
}
