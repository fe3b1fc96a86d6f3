import type { KafkaJS } from '@confluentinc/kafka-javascript';

/**
 * The seam between the runtime and the Kafka client: the few calls the runtime makes, typed so that
 * the real client (`KafkaJS.Kafka` of @confluentinc/kafka-javascript) fits as it is and a fake can
 * stand in for it in unit tests (test/unit/runtime/fake-kafka.ts).
 */
export type TopicMessages = { topic: string; messages: KafkaJS.Message[] }[];

export interface OffsetsToCommit {
  consumer: RuntimeConsumer;
  topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
}

export interface RuntimeProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  transaction(): Promise<unknown>;
  sendBatch(batch: { topicMessages: TopicMessages }): Promise<unknown>;
  sendOffsets(args: OffsetsToCommit): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
  isActive(): boolean;
}

export interface RuntimeConsumer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  subscribe(subscription: { topics: string[] }): Promise<void>;
  run(config: {
    eachBatchAutoResolve: boolean;
    partitionsConsumedConcurrently: number;
    eachBatch: (payload: KafkaJS.EachBatchPayload) => Promise<void>;
  }): Promise<void>;
  committed(
    partitions: { topic: string; partition: number }[],
  ): Promise<{ topic: string; partition: number; offset: string | null }[]>;
}

export interface RuntimeAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  listTopics(): Promise<string[]>;
  fetchTopicMetadata(args: { topics: string[] }): Promise<{ name: string; partitions: unknown[] }[]>;
  createTopics(args: {
    topics: {
      topic: string;
      numPartitions: number;
      replicationFactor: number;
      configEntries?: { name: string; value: string }[];
    }[];
  }): Promise<boolean>;
}

export interface RuntimeKafka {
  consumer(config: KafkaJS.ConsumerConstructorConfig): RuntimeConsumer;
  producer(config: KafkaJS.ProducerConstructorConfig): RuntimeProducer;
  admin(): RuntimeAdmin;
}

/** The rebalance callback's event, as librdkafka reports it. */
export type RebalanceEvent = { code: number };
