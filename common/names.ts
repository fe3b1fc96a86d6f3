import { SINK_DLQ_TOPIC, TOPICS, dlqTopic, topicName, type TopicKey } from '../schemas/topics.ts';

/**
 * Every name derived from a pipeline's topic prefix, in one place: topics, dead-letter twins,
 * pending topics, consumer groups, transactional ids, connectors and their Connect groups. Two
 * pipelines with different prefixes share a cluster without touching each other's names.
 *
 *   const n = pipelineNames('test_');
 *   n.topic('paid')                         // test_paid_orders
 *   n.group('payment')                      // test_orderflow-payment
 *   n.transactionalId('payment', 'host-1')  // test_orderflow-payment-host-1
 */
export interface PipelineNames {
  readonly prefix: string;
  /** A pipeline topic: `<prefix><name>`. */
  topic(key: TopicKey): string;
  /** The dead-letter twin of a topic: `<topic>.dlq`. */
  dlq(topic: string): string;
  /** Where the JDBC sink connectors dead-letter what they cannot write. */
  readonly sinkDlq: string;
  /**
   * A stage's internal, compacted pending topic (live pacing): `<prefix>_orderflow_<stage>_pending`.
   * The leading underscore marks an internal topic (as Kafka's own); it is kept as it was first
   * released so that a running pipeline finds the outputs it parked.
   */
  pending(stage: string): string;
  /** The consumer group of a service (all its instances): `<prefix>orderflow-<service>`. */
  group(service: string): string;
  /** The transactional id of one instance of a service: `<prefix>orderflow-<service>-<instance>`. */
  transactionalId(service: string, instanceId: string): string;
  /** The Kafka client id of one instance (shows in broker logs and quotas). */
  clientId(service: string, instanceId: string): string;
  /** The JDBC sink connector of a split topic: `<prefix>orderflow-sink-<topic name>`. */
  sinkConnector(key: TopicKey): string;
  /** The consumer group Connect gives a sink connector: `connect-<connector>`. */
  connectorGroup(connector: string): string;
  /**
   * The compacted topic recording what was done with each dead letter (replayed or discarded), keyed
   * by `<dlq topic>/<partition>/<offset>`: `<prefix>_orderflow_dlq_actions`.
   */
  readonly dlqActions: string;
  /**
   * The compacted topic where the generator records each run's committed order count, in the same
   * transaction as the orders, keyed by the run: `<prefix>_orderflow_generator_progress`.
   */
  readonly generatorProgress: string;
}

export function pipelineNames(prefix = ''): PipelineNames {
  return {
    prefix,
    topic: (key) => topicName(key, prefix),
    dlq: dlqTopic,
    sinkDlq: prefix + SINK_DLQ_TOPIC,
    pending: (stage) => `${prefix}_orderflow_${stage}_pending`,
    group: (service) => `${prefix}orderflow-${service}`,
    transactionalId: (service, instanceId) => `${prefix}orderflow-${service}-${instanceId}`,
    clientId: (service, instanceId) => `${prefix}orderflow-${service}-${instanceId}`,
    sinkConnector: (key) => `${prefix}orderflow-sink-${TOPICS[key].name}`,
    connectorGroup: (connector) => `connect-${connector}`,
    dlqActions: `${prefix}_orderflow_dlq_actions`,
    generatorProgress: `${prefix}_orderflow_generator_progress`,
  };
}

/**
 * Change data capture from the shop database: the Debezium source connector, the JDBC sink that
 * lands its topics in the warehouse, and the topics (`<prefix>cdc.shop.<table>`: Debezium's
 * topic.prefix, then schema and table).
 */
export function cdcConnectorNames(prefix = ''): { source: string; sink: string; topicPrefix: string } {
  return {
    source: `${prefix}orderflow-source-shop`,
    sink: `${prefix}orderflow-sink-shop`,
    topicPrefix: `${prefix}cdc`,
  };
}

export function cdcTopic(prefix: string, table: string): string {
  return `${prefix}cdc.shop.${table}`;
}
