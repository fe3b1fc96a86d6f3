import { OrderflowError, describeError } from '../../common/errors.ts';
import { withTimeout as timeLimit } from '../../common/retry.ts';
import { createKafka, type Admin } from '../../common/kafka.ts';
import type { Logger } from '../../common/logger.ts';
import { pipelineNames, type PipelineNames } from '../../common/names.ts';
import { AvroSerde } from '../../common/serde.ts';
import { ConnectClient } from '../../common/connect-client.ts';
import { TOPICS, type TopicKey } from '../../schemas/topics.ts';

export interface KafkaViewsOptions {
  kafkaBootstrap: string;
  registryUrl: string;
  connectUrl: string;
  topicPrefix: string;
  /** Replay, discard, connector actions and produce are refused (403) unless this is true. */
  allowWrites: boolean;
  /** Required on write calls (header x-orderflow-token) when the dashboard binds beyond loopback. */
  token?: string;
  /** The address the dashboard binds: anything but loopback makes the token mandatory for writes. */
  host: string;
  /** The local broker's log.dirs, for sizes on disk (absent: sizes are not shown). */
  kafkaLogDir?: string;
  log: Logger;
}

export type TopicKind = 'lifecycle' | 'split' | 'storefront' | 'dlq' | 'internal';

export interface PipelineTopic {
  topic: string;
  kind: TopicKind;
  /** The TOPICS key of a pipeline topic (none for DLQs and internal topics). */
  key?: TopicKey;
  /** Where the value schema comes from: `<topic>-value` (dead letters: the source topic's). */
  subject?: string;
  /** How orderflow creates it (the Node client cannot read topic configs back). */
  cleanupPolicy: 'delete' | 'compact';
}

export const LIFECYCLE: TopicKey[] = ['unpaid', 'paid', 'shipped', 'finished', 'failed'];
export const SPLIT: TopicKey[] = ['orders', 'customers', 'orderItems'];
const STAGES = ['payment', 'shipping', 'delivery'];

/** Every topic of the pipeline with a prefix: lifecycle, split, dead letters, internal topics. */
export function pipelineTopics(names: PipelineNames): PipelineTopic[] {
  const out: PipelineTopic[] = [];
  for (const key of Object.keys(TOPICS) as TopicKey[]) {
    const topic = names.topic(key);
    const kind = LIFECYCLE.includes(key) ? 'lifecycle' : key === 'cartEvents' ? 'storefront' : 'split';
    out.push({ topic, kind, key, subject: `${topic}-value`, cleanupPolicy: 'delete' });
    if (TOPICS[key].dlq)
      out.push({ topic: names.dlq(topic), kind: 'dlq', subject: `${topic}-value`, cleanupPolicy: 'delete' });
  }
  out.push({ topic: names.sinkDlq, kind: 'dlq', cleanupPolicy: 'delete' });
  for (const stage of STAGES)
    out.push({ topic: names.pending(stage), kind: 'internal', cleanupPolicy: 'compact' });
  out.push({ topic: names.dlqActions, kind: 'internal', cleanupPolicy: 'compact' });
  out.push({ topic: names.generatorProgress, kind: 'internal', cleanupPolicy: 'compact' });
  return out;
}

/** A bad query parameter: a 400 naming the parameter, the value and what is allowed. */
export function badParam(name: string, value: unknown, allowed: string): OrderflowError {
  return new OrderflowError(
    'ORDERFLOW_USAGE',
    `query parameter ${name}=${JSON.stringify(value)} is not valid: ${allowed}`,
  );
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || /^127\./.test(host);
}

/** One per dashboard: the clients the Kafka views share (admin, registry, Connect). */
export class KafkaContext {
  readonly names: PipelineNames;
  readonly topics: PipelineTopic[];
  readonly serde: AvroSerde;
  readonly connect: ConnectClient;
  private adminPromise: Promise<Admin> | null = null;

  constructor(readonly o: KafkaViewsOptions) {
    this.names = pipelineNames(o.topicPrefix);
    this.topics = pipelineTopics(this.names);
    this.serde = new AvroSerde(o.registryUrl, 5000);
    this.connect = new ConnectClient(o.connectUrl);
  }

  /** The pipeline topic named `value` (query parameter `param`), or a 400. */
  topic(param: string, value: unknown, kinds?: TopicKind[]): PipelineTopic {
    const found = this.topics.find((t) => t.topic === value && (!kinds || kinds.includes(t.kind)));
    if (!found) {
      const allowed = this.topics.filter((t) => !kinds || kinds.includes(t.kind)).map((t) => t.topic);
      throw badParam(param, value, `one of the pipeline's topics: ${allowed.join(', ')}`);
    }
    return found;
  }

  admin(): Promise<Admin> {
    this.adminPromise ??= (async () => {
      const admin = createKafka(this.o.kafkaBootstrap, 'orderflow-dashboard-views', this.o.log).admin();
      try {
        await withTimeout(admin.connect(), 5000, `Kafka at ${this.o.kafkaBootstrap}`);
      } catch (error) {
        this.adminPromise = null;
        void admin.disconnect().catch(() => undefined);
        throw error;
      }
      return admin;
    })();
    return this.adminPromise;
  }

  async close(): Promise<void> {
    const admin = this.adminPromise;
    this.adminPromise = null;
    if (admin) await (await admin.catch(() => null))?.disconnect().catch(() => undefined);
  }
}

/** `promise` (common/retry.ts withTimeout), failing as a retriable broker error: a 503, not a hung request. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return timeLimit(promise, ms, what).catch((error: unknown) => {
    if (error instanceof OrderflowError) throw error;
    throw new OrderflowError('ORDERFLOW_BROKER_UNAVAILABLE', describeError(error), {
      cause: error,
      retriable: true,
    });
  });
}

/** Partition watermarks of a topic (high = next offset; counts include transaction markers). */
export async function watermarks(
  ctx: KafkaContext,
  topic: string,
): Promise<{ partition: number; low: number; high: number }[]> {
  const admin = await ctx.admin();
  const parts = await withTimeout(admin.fetchTopicOffsets(topic), 5000, `offsets of ${topic}`);
  return parts
    .map((p) => ({ partition: p.partition, low: Number(p.low), high: Number(p.high) }))
    .sort((a, b) => a.partition - b.partition);
}
