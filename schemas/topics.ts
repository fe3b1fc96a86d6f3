/**
 * Every topic of the pipeline, in one place: its base name, the schema its `<topic>-value` subject
 * carries, and whether it gets a dead-letter twin. Topic names may carry a prefix
 * (ORDERFLOW_TOPIC_PREFIX), so tests and parallel pipelines can share one cluster.
 */
export const TOPICS = {
  unpaid: { name: 'unpaid_orders', schema: 'order.avsc', dlq: true },
  paid: { name: 'paid_orders', schema: 'order.avsc', dlq: true },
  shipped: { name: 'shipped_orders', schema: 'order.avsc', dlq: true },
  finished: { name: 'finished_orders', schema: 'order.avsc', dlq: true },
  failed: { name: 'failed_orders', schema: 'order.avsc', dlq: true },
  orders: { name: 'orders', schema: 'split/orders.avsc', dlq: false },
  customers: { name: 'customers', schema: 'split/customers.avsc', dlq: false },
  orderItems: { name: 'order_items', schema: 'split/order_items.avsc', dlq: false },
  /** Storefront carts (the storefront service, storefront/cart-model.ts), keyed by cart_id; checked on landing (warehouse 020). */
  cartEvents: { name: 'cart_events', schema: 'cart_event.avsc', dlq: false },
} as const;

export type TopicKey = keyof typeof TOPICS;

/** The topic the JDBC sink connector sends records it cannot write to. */
export const SINK_DLQ_TOPIC = 'orderflow_sink.dlq';

export function topicName(key: TopicKey, prefix = ''): string {
  return prefix + TOPICS[key].name;
}

export function dlqTopic(topic: string): string {
  return `${topic}.dlq`;
}

/** TopicNameStrategy: the value subject of a topic. */
export function valueSubject(topic: string): string {
  return `${topic}-value`;
}

/** Every topic the project creates, dead-letter twins included, with the given prefix. */
export function allTopicNames(prefix = ''): string[] {
  const names: string[] = [];
  for (const t of Object.values(TOPICS)) {
    names.push(prefix + t.name);
    if (t.dlq) names.push(dlqTopic(prefix + t.name));
  }
  names.push(prefix + SINK_DLQ_TOPIC);
  return names;
}
