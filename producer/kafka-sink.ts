/**
 * Produces generated orders to unpaid_orders: key = order_id, value = Avro in the Confluent wire
 * format under the `<topic>-value` subject. The producer is idempotent, batches in librdkafka
 * (linger.ms, batch.num.messages), and never awaits a single send: up to `maxInFlight` send calls
 * run at once, each one's delivery result is checked, and the first failure stops the run.
 */
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { describeError, OrderflowError } from '../common/errors.ts';
import { authFailedError, createKafka, securityFailure, type Kafka, type Producer } from '../common/kafka.ts';
import { createLogger, type Logger } from '../common/logger.ts';
import { AvroSerde, readSchema, type Encoder } from '../common/serde.ts';
import { retry, type Backoff } from '../common/retry.ts';
import { kafkaPassthrough } from '../common/settings.ts';
import { TOPICS, topicName, valueSubject } from '../schemas/topics.ts';
import type { Order } from '../schemas/types.generated.ts';

export interface KafkaSinkOptions {
  kafkaBootstrap: string;
  registryUrl: string;
  topicPrefix: string;
  retryBudgetMs: number;
  maxInFlight: number;
  batchSize: number;
  log: Logger;
}

/** Producer defaults; any ORDERFLOW_KAFKA_* variable overrides them under librdkafka's name. */
export const PRODUCER_DEFAULTS: Record<string, string | number | boolean> = {
  'enable.idempotence': true,
  acks: 'all',
  'linger.ms': 20,
  'batch.num.messages': 10_000,
  'batch.size': 1_000_000,
  'compression.type': 'lz4',
};

/** 250 ms, 500 ms, ... up to 5 s between tries while the broker or registry is away. */
const GENERATOR_BACKOFF: Backoff = { initialMs: 250, maxMs: 5_000 };

/** How long a partly filled batch may wait for more orders before it is sent anyway. */
const BATCH_LINGER_MS = 50;

/** Retry everything but an OrderflowError that says waiting will not fix it (an incompatible schema). */
const worthRetrying = (error: unknown) => !(error instanceof OrderflowError && !error.retriable);

const onRetry = (log: Logger, what: string) => (info: { attempt: number; delayMs: number; error: unknown }) =>
  log.warn(
    { what, tries: info.attempt, err: describeError(info.error), retryInMs: info.delayMs },
    `${what}: retrying`,
  );

/**
 * What every way of producing orders checks first, within the retry budget: the broker answers, the
 * topic exists, and the value schema is registered under `<topic>-value`. Returns the topic, its
 * encoder and a client for the producer.
 */
export async function prepareProducing(
  options: KafkaSinkOptions,
): Promise<{ topic: string; encoder: Encoder<Order>; kafka: Kafka }> {
  const { log, retryBudgetMs } = options;
  const topic = topicName('unpaid', options.topicPrefix);

  // 1. The broker answers (a metadata request through a quiet admin client).
  const probe = createKafka(
    options.kafkaBootstrap,
    'orderflow-generator-probe',
    createLogger('generator', 'silent'),
  );
  const deadline = Date.now() + retryBudgetMs;
  const topics = await retry(
    async () => {
      // A client connects once in its life: every try gets a new admin client.
      const admin = probe.admin();
      try {
        await admin.connect();
        // Each try waits at most 3 s, and never past the budget.
        return await admin.listTopics({ timeout: Math.max(200, Math.min(3_000, deadline - Date.now())) });
      } catch (error) {
        // A refused login does not get better by retrying: say so at once.
        const refused = securityFailure(probe);
        throw refused ? authFailedError(options.kafkaBootstrap, refused) : error;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    },
    {
      what: `Kafka at ${options.kafkaBootstrap}`,
      code: 'ORDERFLOW_BROKER_UNAVAILABLE',
      budgetMs: retryBudgetMs,
      backoff: GENERATOR_BACKOFF,
      retriable: worthRetrying,
      onRetry: onRetry(log, 'kafka'),
      hint: 'is it running? (orderflow stack status)',
    },
  );

  if (!topics.includes(topic)) {
    const prefixFlag = options.topicPrefix ? ` --topic-prefix ${options.topicPrefix}` : '';
    throw new OrderflowError(
      'ORDERFLOW_USAGE',
      `topic ${topic} does not exist on ${options.kafkaBootstrap}: create the pipeline topics first (orderflow topics${prefixFlag})`,
    );
  }

  // 2. The value schema is registered under <topic>-value.
  // The serde retries within the generator's budget and names the registry when that runs out.
  const serde = new AvroSerde(options.registryUrl, retryBudgetMs);
  const encoder = await serde.writer<Order>(valueSubject(topic), readSchema(TOPICS.unpaid.schema));
  return { topic, encoder, kafka: createKafka(options.kafkaBootstrap, 'orderflow-generator', log) };
}

/**
 * Connect a producer made by `create` (a transactional one fences any older producer with its id),
 * within the budget. A client connects once in its life, so every try makes a new one.
 */
async function connectProducer(create: () => Producer, options: KafkaSinkOptions): Promise<Producer> {
  return await retry(
    async () => {
      const producer = create();
      try {
        await producer.connect();
        return producer;
      } catch (error) {
        await producer.disconnect().catch(() => undefined);
        throw error;
      }
    },
    {
      what: `the producer's connection to ${options.kafkaBootstrap}`,
      code: 'ORDERFLOW_BROKER_UNAVAILABLE',
      budgetMs: options.retryBudgetMs,
      backoff: GENERATOR_BACKOFF,
      retriable: worthRetrying,
      onRetry: onRetry(options.log, 'producer'),
    },
  );
}

export interface OrderProducer {
  topic: string;
  encoder: Encoder<Order>;
  producer: Producer;
}

/**
 * What every order sink opens with: prepareProducing(), then a connected producer with
 * PRODUCER_DEFAULTS, the sink's own `config` and the ORDERFLOW_KAFKA_* passthrough, in that order of
 * precedence.
 */
export async function openOrderProducer(
  options: KafkaSinkOptions,
  config: Record<string, string | number | boolean> = {},
): Promise<OrderProducer> {
  const { topic, encoder, kafka } = await prepareProducing(options);
  const producer = await connectProducer(
    () =>
      kafka.producer({
        ...PRODUCER_DEFAULTS,
        ...config,
        ...kafkaPassthrough(),
      } as KafkaJS.ProducerConstructorConfig),
    options,
  );
  return { topic, encoder, producer };
}

/**
 * What both order sinks are made of: the producer, the encoder and the topic; the orders written
 * and acknowledged; and the linger timer that sends a partly filled batch in live mode.
 */
export abstract class OrderSinkBase<O extends KafkaSinkOptions> {
  protected lingerTimer: NodeJS.Timeout | null = null;
  /** Orders whose delivery the broker acknowledged (the transactional sink: committed). */
  acknowledged = 0;
  written = 0;

  protected constructor(
    protected readonly producer: Producer,
    protected readonly encoder: Encoder<Order>,
    readonly topic: string,
    protected readonly options: O,
  ) {}

  /** The order as a Kafka message (key order_id, value Avro), counted as written. */
  protected message(order: Order): { key: string; value: Buffer } {
    const value = this.encoder.encode(order);
    this.written++;
    return { key: order.order_id, value };
  }

  protected stopLinger(): void {
    if (this.lingerTimer) {
      clearTimeout(this.lingerTimer);
      this.lingerTimer = null;
    }
  }
}

export class KafkaOrderSink extends OrderSinkBase<KafkaSinkOptions> {
  private batch: { key: string; value: Buffer }[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown = null;

  static async open(options: KafkaSinkOptions): Promise<KafkaOrderSink> {
    const { topic, encoder, producer } = await openOrderProducer(options);
    options.log.info({ topic, schemaId: encoder.schemaId }, 'producing orders');
    return new KafkaOrderSink(producer, encoder, topic, options);
  }

  /** Queue an order; returns a promise only when the caller must wait (batch limit reached). */
  write(order: Order): Promise<void> | undefined {
    if (this.failure) throw this.deliveryError();
    this.batch.push(this.message(order));
    if (this.batch.length >= this.options.batchSize) return this.dispatch();
    // A slow stream (live mode) must not leave orders waiting for a full batch.
    this.lingerTimer ??= setTimeout(() => {
      this.lingerTimer = null;
      this.sendBatch();
    }, BATCH_LINGER_MS);
    return undefined;
  }

  /** Hand the queued orders to the client without waiting; the result is checked later. */
  private sendBatch(): void {
    this.stopLinger();
    if (this.batch.length === 0) return;
    const messages = this.batch;
    this.batch = [];
    const sent: Promise<void> = this.producer.send({ topic: this.topic, messages }).then(
      () => {
        this.acknowledged += messages.length;
      },
      (error: unknown) => {
        this.failure ??= error;
      },
    );
    this.inFlight.add(sent);
    void sent.finally(() => this.inFlight.delete(sent));
  }

  private async dispatch(): Promise<void> {
    this.sendBatch();
    while (this.inFlight.size >= this.options.maxInFlight) await Promise.race(this.inFlight);
    if (this.failure) throw this.deliveryError();
  }

  /** Send what is queued and wait for every delivery report. */
  async flush(): Promise<void> {
    await this.dispatch();
    await Promise.all(this.inFlight);
    if (this.failure) throw this.deliveryError();
    await this.producer.flush({ timeout: 30_000 });
  }

  async close(): Promise<void> {
    this.stopLinger();
    await this.producer.disconnect();
  }

  private deliveryError(): OrderflowError {
    return new OrderflowError(
      'ORDERFLOW_DELIVERY_FAILED',
      `Kafka rejected orders sent to ${this.topic}: ${describeError(this.failure)}`,
      { cause: this.failure },
    );
  }
}
