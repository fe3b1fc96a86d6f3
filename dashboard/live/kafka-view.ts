import type { Admin } from '../../common/kafka.ts';
import { pipelineNames } from '../../common/names.ts';
import { TOPICS, SINK_DLQ_TOPIC, dlqTopic, topicName, type TopicKey } from '../../schemas/topics.ts';
import { answerWithin } from './answer-within.ts';
import { furthestCommitted, hasWildcard, matchGroups } from './consumer-groups.ts';
import { partitionLag, type PartitionGap, type RateTracker } from './rates.ts';
import type { TopicTail } from './recent-orders.ts';

/** The consumers of the chain: each reads its input topics under its consumer group(s). */
export function consumersOf(prefix: string, splitGroups: readonly string[]) {
  const n = pipelineNames(prefix);
  const sink = (key: TopicKey) => ({
    stage: `sink ${TOPICS[key].name}`,
    groups: [n.connectorGroup(n.sinkConnector(key))],
    inputs: [n.topic(key)],
  });
  return [
    { stage: 'payment', groups: [n.group('payment')], inputs: [n.topic('unpaid')] },
    { stage: 'shipping', groups: [n.group('shipping')], inputs: [n.topic('paid')] },
    { stage: 'delivery', groups: [n.group('delivery')], inputs: [n.topic('shipped')] },
    {
      stage: 'split',
      groups: splitGroups.length > 0 ? [...splitGroups] : [n.group('splitter')],
      inputs: [n.topic('finished'), n.topic('failed')],
    },
    sink('orders'),
    sink('customers'),
    sink('orderItems'),
  ];
}

const ORDER_TOPICS: TopicKey[] = ['unpaid', 'paid', 'shipped', 'finished', 'failed'];

export interface TopicView {
  topic: string;
  kind: 'order' | 'split' | 'storefront' | 'dlq';
  exists: boolean;
  partitions: number;
  /** Records retained (end offset - start offset, transaction markers included). */
  messages: number;
  endOffset: number;
  ratePerSecond: number | null;
}

export interface StageView {
  stage: string;
  group: string;
  inputs: string[];
  committed: number;
  /**
   * Records behind the end of the inputs. Gaps of up to MARKER_PROBE_MAX offsets are counted record
   * by record (read_committed), so the transaction markers at the end of a caught-up partition do not
   * read as lag; larger gaps are end offset minus committed offset.
   */
  lag: number;
  throughputPerSecond: number | null;
  active: boolean;
}

export interface KafkaViewOptions {
  prefix: string;
  /** Consumer groups of the split (see PipelineOptions.splitGroups). */
  splitGroups: readonly string[];
  rates: RateTracker;
  /** When this refresh started (epoch ms). */
  at: number;
}

export interface KafkaView {
  topics: TopicView[];
  /** The stages with their gaps still to count (lag is by offsets until then). */
  stages: (StageView & { gaps: PartitionGap[] })[];
  /** Where the order topics end, for reading the newest orders. */
  tails: TopicTail[];
}

/**
 * Topic end offsets (Kafka admin) and the committed offsets of each stage's groups against them:
 * retained records, rates, lag and throughput.
 */
export async function readKafkaView(
  admin: Admin,
  { prefix, splitGroups, rates, at }: KafkaViewOptions,
): Promise<KafkaView> {
  const existing = new Set(await answerWithin(admin.listTopics(), 5000, 'listing topics'));
  const wanted: { topic: string; kind: TopicView['kind'] }[] = [];
  for (const [key, t] of Object.entries(TOPICS)) {
    const name = topicName(key as TopicKey, prefix);
    const kind = ORDER_TOPICS.includes(key as TopicKey)
      ? 'order'
      : key === 'cartEvents'
        ? 'storefront'
        : 'split';
    wanted.push({ topic: name, kind });
    if (t.dlq) wanted.push({ topic: dlqTopic(name), kind: 'dlq' });
  }
  wanted.push({ topic: prefix + SINK_DLQ_TOPIC, kind: 'dlq' });

  const offsets = new Map<string, { partition: number; low: number; high: number }[]>();
  const topics: TopicView[] = await Promise.all(
    wanted.map(async ({ topic, kind }) => {
      if (!existing.has(topic)) {
        return {
          topic,
          kind,
          exists: false,
          partitions: 0,
          messages: 0,
          endOffset: 0,
          ratePerSecond: null,
        };
      }
      const parts = (await answerWithin(admin.fetchTopicOffsets(topic), 5000, `offsets of ${topic}`)).map(
        (p) => ({
          partition: p.partition,
          low: Number(p.low),
          high: Number(p.high),
        }),
      );
      offsets.set(topic, parts);
      const endOffset = parts.reduce((a, p) => a + p.high, 0);
      return {
        topic,
        kind,
        exists: true,
        partitions: parts.length,
        messages: parts.reduce((a, p) => a + p.high - p.low, 0),
        endOffset,
        ratePerSecond: rates.update(`topic:${topic}`, endOffset, at),
      };
    }),
  );

  const consumers = consumersOf(prefix, splitGroups);
  // Groups named by a prefix are looked up once per refresh, and only when there are any.
  const listed = consumers.some((c) => hasWildcard(c.groups))
    ? (await answerWithin(admin.listGroups(), 5000, 'listing consumer groups')).groups.map((g) => g.groupId)
    : [];
  const stages: (StageView & { gaps: PartitionGap[] })[] = await Promise.all(
    consumers.map(async (c) => {
      const inputs = c.inputs.filter((t) => existing.has(t));
      const groups = matchGroups(c.groups, listed);
      const group = groups.length > 0 ? groups.join(', ') : c.groups.join(', ');
      let committed = 0;
      let lag = 0;
      let active = false;
      const gaps: PartitionGap[] = [];
      if (inputs.length > 0) {
        const fetched = await Promise.all(
          groups.map((groupId) =>
            answerWithin(
              admin.fetchOffsets({ groupId, topics: inputs }),
              5000,
              `offsets of group ${groupId}`,
            ),
          ),
        );
        // Every partition of the input counts: one the group never committed is behind by all it retains.
        for (const topic of inputs) {
          const committedOf = furthestCommitted(
            fetched.map(
              (f) =>
                new Map(
                  (f.find((t) => t.topic === topic)?.partitions ?? []).map((p) => [
                    p.partition,
                    Number(p.offset),
                  ]),
                ),
            ),
          );
          for (const end of offsets.get(topic) ?? []) {
            const offset = committedOf.get(end.partition) ?? -1;
            if (offset >= 0) {
              committed += offset;
              active = true;
            }
            lag += partitionLag(end.high, end.low, offset);
            gaps.push({
              topic,
              partition: end.partition,
              from: offset >= 0 ? offset : end.low,
              to: end.high,
            });
          }
        }
      }
      return {
        stage: c.stage,
        group,
        inputs: c.inputs,
        committed,
        lag,
        throughputPerSecond: active ? rates.update(`stage:${c.stage}`, committed, at) : null,
        active,
        gaps,
      };
    }),
  );

  const tails: TopicTail[] = ORDER_TOPICS.map((k) => topicName(k, prefix))
    .filter((t) => offsets.has(t))
    .map((t) => ({ topic: t, partitions: offsets.get(t)! }));
  return { topics, stages, tails };
}
