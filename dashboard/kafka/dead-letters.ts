import { z } from 'zod';
import { OrderflowError, describeError } from '../../common/errors.ts';
import { createKafka, type Producer } from '../../common/kafka.ts';
import { DLQ_HEADERS } from '../../runtime/dead-letter.ts';
import { TransactionLock } from '../../runtime/transactional-writer.ts';
import { badParam, watermarks, withTimeout, type KafkaContext } from './context.ts';
import { readRanges, type RawRecord } from '../../common/record-reader.ts';
import { decodeRecords, type RecordJson, type SchemaTexts } from './record-json.ts';

/** Header on a replayed record: the dead letter it came from, `<dlq topic>/<partition>/<offset>`. */
export const REPLAYED_FROM = 'orderflow.replayed-from';

export const dlqListQuery = z.object({
  topic: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  status: z.enum(['all', 'pending', 'replayed', 'discarded']).default('all'),
});
export const dlqActionBody = z.object({
  topic: z.string(),
  partition: z.coerce.number().int().min(0),
  offset: z.coerce.number().int().min(0),
});

export interface DlqAction {
  action: 'replayed' | 'discarded';
  at: string;
  /** Where a replay went. */
  target?: { topic: string };
}

export interface DeadLetter extends RecordJson {
  coordinates: string;
  error: string | null;
  code: string | null;
  stage: string | null;
  sourceTopic: string | null;
  sourcePartition: number | null;
  sourceOffset: string | null;
  /** The original value bytes (what a replay republishes), hex. */
  originalHex: string;
  handled: DlqAction | null;
}

export const coordinates = (topic: string, partition: number, offset: number) =>
  `${topic}/${partition}/${offset}`;

/**
 * Dead letters: each DLQ record with its error headers and original bytes, and two actions, recorded
 * durably in the compacted `<prefix>_orderflow_dlq_actions` topic keyed by DLQ coordinates:
 * replay (republish the original record to its source topic with orderflow.replayed-from, in the
 * same Kafka transaction as the action record) and discard. A record with an action is never
 * replayed again. One transactional id for every replayer of a pipeline (dashboard or CLI): each
 * new producer fences the previous one, and the action topic is read after that fencing, so two
 * replays of one record cannot both commit.
 */
export class DeadLetters {
  private producer: Producer | null = null;
  private readonly lock = new TransactionLock();

  constructor(
    private readonly ctx: KafkaContext,
    private readonly schemas: SchemaTexts,
  ) {}

  private dlqTopics(): string[] {
    return this.ctx.topics.filter((t) => t.kind === 'dlq').map((t) => t.topic);
  }

  /** Every recorded action by DLQ coordinates (the compacted topic read to its end). */
  async actions(): Promise<Map<string, DlqAction>> {
    const out = new Map<string, DlqAction>();
    const admin = await this.ctx.admin();
    if (!(await admin.listTopics()).includes(this.ctx.names.dlqActions)) return out;
    const parts = await watermarks(this.ctx, this.ctx.names.dlqActions);
    const read = await readRanges(
      this.ctx.o.kafkaBootstrap,
      parts.map((p) => ({
        topic: this.ctx.names.dlqActions,
        partition: p.partition,
        from: p.low,
        to: p.high,
      })),
      { maxRecords: 1_000_000, timeoutMs: 10_000 },
    );
    if (!read.complete)
      throw new OrderflowError(
        'ORDERFLOW_BROKER_UNAVAILABLE',
        `${this.ctx.names.dlqActions} was not read to its end within 10 s`,
        {
          retriable: true,
        },
      );
    for (const r of read.records) {
      if (!r.key) continue;
      if (r.value === null) out.delete(r.key.toString());
      else out.set(r.key.toString(), JSON.parse(r.value.toString()) as DlqAction);
    }
    return out;
  }

  async list(
    q: z.infer<typeof dlqListQuery>,
  ): Promise<{ deadLetters: DeadLetter[]; topics: { topic: string; records: number }[] }> {
    const topics =
      q.topic === undefined ? this.dlqTopics() : [this.ctx.topic('topic', q.topic, ['dlq']).topic];
    const admin = await this.ctx.admin();
    const existing = new Set(await withTimeout(admin.listTopics(), 5000, 'listing topics'));
    const present = topics.filter((t) => existing.has(t));
    const marks = await Promise.all(
      present.map(async (t) => ({ topic: t, parts: await watermarks(this.ctx, t) })),
    );
    const ranges = marks.flatMap((m) =>
      m.parts.map((p) => ({
        topic: m.topic,
        partition: p.partition,
        from: Math.max(p.low, p.high - 500),
        to: p.high,
      })),
    );
    const [read, actions] = await Promise.all([
      readRanges(this.ctx.o.kafkaBootstrap, ranges, { maxRecords: 50_000, timeoutMs: 8000 }),
      this.actions(),
    ]);
    const decoded = await decodeRecords(this.ctx.serde, this.schemas, read.records);
    const letters = decoded
      .map((d, i) => toDeadLetter(d, read.records[i]!, actions))
      .filter(
        (d) => q.status === 'all' || (q.status === 'pending' ? !d.handled : d.handled?.action === q.status),
      )
      .sort((a, b) => (b.timestamp ?? 0) - (a.timestamp ?? 0));
    return {
      deadLetters: letters.slice(0, q.limit),
      topics: marks.map((m) => ({
        topic: m.topic,
        records: m.parts.reduce((a, p) => a + p.high - p.low, 0),
      })),
    };
  }

  private async readOne(topic: string, partition: number, offset: number): Promise<RawRecord> {
    this.ctx.topic('topic', topic, ['dlq']);
    const read = await readRanges(
      this.ctx.o.kafkaBootstrap,
      [{ topic, partition, from: offset, to: offset + 1 }],
      {
        maxRecords: 1,
        timeoutMs: 5000,
      },
    );
    const r = read.records[0];
    if (!r || r.offset !== offset)
      throw badParam('offset', offset, `the offset of a record in ${topic}[${partition}]`);
    return r;
  }

  private async ensureActionsTopic(): Promise<void> {
    const admin = await this.ctx.admin();
    if ((await admin.listTopics()).includes(this.ctx.names.dlqActions)) return;
    try {
      await admin.createTopics({
        topics: [
          {
            topic: this.ctx.names.dlqActions,
            numPartitions: 1,
            configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
          },
        ],
      });
    } catch (error) {
      if (!/exist/i.test(describeError(error))) throw error;
    }
  }

  /** A transactional producer; creating it fences any other replayer of this pipeline. */
  private async fencedProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    const kafka = createKafka(this.ctx.o.kafkaBootstrap, 'orderflow-dashboard-dlq', this.ctx.o.log);
    const producer = kafka.producer({
      'transactional.id': this.ctx.names.transactionalId('dlq-actions', 'replayer'),
      'transaction.timeout.ms': 30_000,
      partitioner: 'murmur2_random',
    } as never);
    await withTimeout(producer.connect(), 15_000, 'the dead-letter producer');
    this.producer = producer;
    return producer;
  }

  /** Replay (republish to the source topic) or discard one dead letter; refused once it has an action. */
  act(
    kind: 'replay' | 'discard',
    topic: string,
    partition: number,
    offset: number,
  ): Promise<{ coordinates: string; action: DlqAction }> {
    return this.lock.run(async () => {
      const record = await this.readOne(topic, partition, offset);
      const header = (name: string) => record.headers.find((h) => h.key === name)?.value?.toString() ?? null;
      const source = header(DLQ_HEADERS.sourceTopic);
      if (
        kind === 'replay' &&
        (!source || !this.ctx.topics.some((t) => t.topic === source && t.kind === 'lifecycle'))
      )
        throw new OrderflowError(
          'ORDERFLOW_USAGE',
          `${coordinates(topic, partition, offset)} names no lifecycle source topic (${DLQ_HEADERS.sourceTopic}=${source}): it cannot be replayed, only discarded`,
        );
      await this.ensureActionsTopic();
      let producer = await this.fencedProducer();
      const key = coordinates(topic, partition, offset);
      // Read after the fence: a replay that committed before it is visible now.
      const done = (await this.actions()).get(key);
      if (done)
        throw new OrderflowError(
          'ORDERFLOW_DLQ_ALREADY_HANDLED',
          `${key} was already ${done.action} at ${done.at}: refused (a dead letter is handled once)`,
          { context: { coordinates: key, action: done.action, at: done.at } },
        );
      const action: DlqAction = {
        action: kind === 'replay' ? 'replayed' : 'discarded',
        at: new Date().toISOString(),
        ...(kind === 'replay' ? { target: { topic: source! } } : {}),
      };
      try {
        await producer.transaction();
        if (kind === 'replay') {
          const dlqOnly = new Set<string>(Object.values(DLQ_HEADERS));
          const headers: Record<string, Buffer> = {};
          for (const h of record.headers)
            if (!dlqOnly.has(h.key) && h.key !== REPLAYED_FROM && h.value) headers[h.key] = h.value;
          headers[REPLAYED_FROM] = Buffer.from(key);
          await producer.send({
            topic: source!,
            messages: [{ key: record.key, value: record.value, headers }],
          });
        }
        await producer.send({
          topic: this.ctx.names.dlqActions,
          messages: [{ key, value: JSON.stringify(action) }],
        });
        await producer.commit();
      } catch (error) {
        // Fenced by another replayer, or the broker failed: drop this producer; nothing was committed.
        this.producer = null;
        await producer.disconnect().catch(() => undefined);
        producer = null as never;
        throw new OrderflowError(
          'ORDERFLOW_TRANSACTION_FAILED',
          `${kind} of ${key} was not committed: ${describeError(error)}`,
          {
            cause: error,
            retriable: true,
          },
        );
      }
      return { coordinates: key, action };
    });
  }

  async close(): Promise<void> {
    const p = this.producer;
    this.producer = null;
    if (p) await p.disconnect().catch(() => undefined);
  }
}

function toDeadLetter(d: RecordJson, raw: RawRecord, actions: Map<string, DlqAction>): DeadLetter {
  const h = d.headers;
  const key = coordinates(d.topic, d.partition, d.offset);
  const partition = h[DLQ_HEADERS.sourcePartition];
  return {
    ...d,
    coordinates: key,
    error: h[DLQ_HEADERS.error] ?? null,
    code: h[DLQ_HEADERS.code] ?? null,
    stage: h[DLQ_HEADERS.stage] ?? null,
    sourceTopic: h[DLQ_HEADERS.sourceTopic] ?? null,
    sourcePartition: partition === undefined ? null : Number(partition),
    sourceOffset: h[DLQ_HEADERS.sourceOffset] ?? null,
    originalHex: raw.value ? raw.value.toString('hex') : '',
    handled: actions.get(key) ?? null,
  };
}
