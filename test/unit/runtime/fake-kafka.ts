import { KafkaJS } from '@confluentinc/kafka-javascript';
import type {
  OffsetsToCommit,
  RebalanceEvent,
  RuntimeAdmin,
  RuntimeConsumer,
  RuntimeKafka,
  RuntimeProducer,
  TopicMessages,
} from '../../../runtime/client.ts';

/**
 * An in-memory stand-in for the Kafka client behind runtime/client.ts, for unit tests of the
 * runtime's hard paths. It keeps what a broker would: committed transactions (records and
 * offsets), aborted ones, and the producers created; tests drive assignment and batches by hand
 * and inject errors into the next producer call.
 */
export interface Transaction {
  producer: number;
  records: { topic: string; key: string; value: string | null }[];
  offsets: { topic: string; partition: number; offset: string }[];
}

type Call = 'transaction' | 'sendBatch' | 'sendOffsets' | 'commit' | 'abort';

/** An error as the client raises it, with its own flags and code. */
export function clientError(
  message: string,
  props: { code?: number; fatal?: boolean; abortable?: boolean; retriable?: boolean } = {},
): KafkaJS.KafkaJSError {
  return new KafkaJS.KafkaJSError(message, {
    code: props.code ?? KafkaJS.ErrorCodes.ERR_UNKNOWN,
    fatal: props.fatal ?? false,
    abortable: props.abortable ?? false,
    retriable: props.retriable ?? false,
  });
}

export class FakeKafka implements RuntimeKafka {
  readonly committed: Transaction[] = [];
  readonly aborted: Transaction[] = [];
  readonly producers: FakeProducer[] = [];
  readonly consumers: FakeConsumer[] = [];
  readonly topics = new Map<string, number>();
  /** Committed group offsets per "topic[partition]". */
  readonly groupOffsets = new Map<string, string>();
  private readonly failures: { call: Call; error: unknown }[] = [];
  /** Calls wait on this gate when set (e.g. hold a commit open). */
  gate: { call: Call; wait: Promise<void> } | undefined;

  consumer(config: KafkaJS.ConsumerConstructorConfig): RuntimeConsumer {
    const consumer = new FakeConsumer(this, config as Record<string, unknown>);
    this.consumers.push(consumer);
    return consumer;
  }

  producer(config: KafkaJS.ProducerConstructorConfig): RuntimeProducer {
    const producer = new FakeProducer(this, this.producers.length, config as Record<string, unknown>);
    this.producers.push(producer);
    return producer;
  }

  admin(): RuntimeAdmin {
    return {
      connect: async () => undefined,
      disconnect: async () => undefined,
      listTopics: async () => [...this.topics.keys()],
      fetchTopicMetadata: async ({ topics }) =>
        topics.map((name) => ({ name, partitions: Array.from({ length: this.topics.get(name) ?? 0 }) })),
      createTopics: async ({ topics }) => {
        for (const t of topics) this.topics.set(t.topic, t.numPartitions);
        return true;
      },
    };
  }

  /** The next `call` on any producer throws `error`. */
  failNext(call: Call, error: unknown): void {
    this.failures.push({ call, error });
  }

  /** Records of committed transactions, per topic, in commit order. */
  recordsIn(topic: string): { key: string; value: string | null }[] {
    return this.committed.flatMap((t) => t.records.filter((r) => r.topic === topic));
  }

  /** @internal */
  async step(call: Call): Promise<void> {
    if (this.gate?.call === call) await this.gate.wait;
    const i = this.failures.findIndex((f) => f.call === call);
    if (i >= 0) {
      const [failure] = this.failures.splice(i, 1);
      throw failure!.error;
    }
  }
}

export class FakeProducer implements RuntimeProducer {
  connected = false;
  private open: Transaction | undefined;

  constructor(
    private readonly kafka: FakeKafka,
    readonly index: number,
    readonly config: Record<string, unknown>,
  ) {}

  async connect(): Promise<void> {
    this.connected = true;
  }
  async disconnect(): Promise<void> {
    this.connected = false;
  }
  isActive(): boolean {
    return this.open !== undefined;
  }
  async transaction(): Promise<unknown> {
    if (this.open)
      throw clientError('a transaction is already open', { code: KafkaJS.ErrorCodes.ERR__STATE });
    await this.kafka.step('transaction');
    this.open = { producer: this.index, records: [], offsets: [] };
    return this;
  }
  async sendBatch(batch: { topicMessages: TopicMessages }): Promise<unknown> {
    await this.kafka.step('sendBatch');
    for (const { topic, messages } of batch.topicMessages) {
      for (const m of messages) {
        const record = {
          topic,
          key: m.key === null || m.key === undefined ? '' : m.key.toString(),
          value: m.value === null || m.value === undefined ? null : m.value.toString(),
        };
        if (this.open) this.open.records.push(record);
        else this.kafka.committed.push({ producer: this.index, records: [record], offsets: [] });
      }
    }
    return [];
  }
  async sendOffsets(args: OffsetsToCommit): Promise<void> {
    await this.kafka.step('sendOffsets');
    for (const t of args.topics) {
      for (const p of t.partitions)
        this.open?.offsets.push({ topic: t.topic, partition: p.partition, offset: p.offset });
    }
  }
  async commit(): Promise<void> {
    await this.kafka.step('commit');
    const t = this.open!;
    this.open = undefined;
    this.kafka.committed.push(t);
    for (const o of t.offsets) this.kafka.groupOffsets.set(`${o.topic}[${o.partition}]`, o.offset);
  }
  async abort(): Promise<void> {
    await this.kafka.step('abort');
    if (this.open) this.kafka.aborted.push(this.open);
    this.open = undefined;
  }
}

export class FakeConsumer implements RuntimeConsumer {
  connected = false;
  private eachBatch: ((payload: KafkaJS.EachBatchPayload) => Promise<void>) | undefined;

  constructor(
    private readonly kafka: FakeKafka,
    readonly config: Record<string, unknown>,
  ) {}

  async connect(): Promise<void> {
    this.connected = true;
  }
  async disconnect(): Promise<void> {
    this.connected = false;
  }
  async subscribe(): Promise<void> {}
  async run(config: { eachBatch: (payload: KafkaJS.EachBatchPayload) => Promise<void> }): Promise<void> {
    this.eachBatch = config.eachBatch;
  }
  async committed(partitions: { topic: string; partition: number }[]) {
    return partitions.map((p) => ({
      ...p,
      offset: this.kafka.groupOffsets.get(`${p.topic}[${p.partition}]`) ?? null,
    }));
  }

  /** The group assigns (or revokes) partitions of `topic`, as librdkafka's rebalance callback would. */
  rebalance(kind: 'assign' | 'revoke', topic: string, partitions: number[]): void {
    const cb = this.config.rebalance_cb as (event: RebalanceEvent, tps: KafkaJS.TopicPartition[]) => void;
    const code =
      kind === 'assign'
        ? KafkaJS.ErrorCodes.ERR__ASSIGN_PARTITIONS
        : KafkaJS.ErrorCodes.ERR__REVOKE_PARTITIONS;
    cb(
      { code },
      partitions.map((partition) => ({ topic, partition })),
    );
  }

  /**
   * Deliver one batch to the runtime. `stale` (optional) is consulted whenever the runtime asks
   * whether the batch went stale (e.g. a rebalance while its transaction is open). Returns the
   * offset the runtime resolved, or throws what eachBatch threw (the client then redelivers).
   */
  async deliver(
    topic: string,
    partition: number,
    records: { offset: number; key: string; value: string | null }[],
    options: { stale?: () => boolean } = {},
  ): Promise<string | undefined> {
    let resolved: string | undefined;
    const messages = records.map((r) => ({
      key: Buffer.from(r.key),
      value: r.value === null ? null : Buffer.from(r.value),
      offset: String(r.offset),
      timestamp: '0',
      attributes: 0,
      headers: {},
      size: 0,
    }));
    const last = records[records.length - 1]?.offset ?? 0;
    const payload = {
      batch: {
        topic,
        partition,
        highWatermark: String(last + 1),
        messages,
        isEmpty: () => messages.length === 0,
        firstOffset: () => messages[0]?.offset ?? null,
        lastOffset: () => messages[messages.length - 1]?.offset ?? '-1',
        offsetLag: () => '0',
        offsetLagLow: () => '0',
      },
      resolveOffset: (offset: string) => {
        resolved = offset;
      },
      heartbeat: async () => undefined,
      pause: () => () => undefined,
      commitOffsetsIfNecessary: async () => undefined,
      uncommittedOffsets: () => ({ topics: [] }),
      isRunning: () => true,
      isStale: () => options.stale?.() ?? false,
    } as unknown as KafkaJS.EachBatchPayload;
    await this.eachBatch!(payload);
    return resolved;
  }
}
