import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RateTracker } from '../live/rates.ts';
import { watermarks, withTimeout, type KafkaContext, type TopicKind } from './context.ts';

export interface TopicRow {
  topic: string;
  kind: TopicKind;
  exists: boolean;
  partitions: number;
  replicationFactor: number;
  cleanupPolicy: string;
  retention: string;
  /** End minus start offset summed over partitions: transaction markers included (an upper bound). */
  messagesUpperBound: number;
  /** Bytes of the partition directories under the local broker's log.dirs (null: not a local broker). */
  sizeBytes: number | null;
  /** Offsets per second since the previous call (null on the first). */
  ratePerSecond: number | null;
  partitionOffsets: { partition: number; low: number; high: number }[];
}

function dirSize(dir: string): number {
  let total = 0;
  // Log segments only, as Kafka's DescribeLogDirs counts them: index files are preallocated (10 MiB each).
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.log')) continue;
    try {
      total += statSync(join(dir, name)).size;
    } catch {
      // a segment deleted while we looked
    }
  }
  return total;
}

/** Sizes of every `<topic>-<partition>` directory under the broker's log dir, summed by topic. */
function sizesOnDisk(logDir: string | undefined): Map<string, number> | null {
  if (!logDir) return null;
  const sizes = new Map<string, number>();
  let names: string[];
  try {
    names = readdirSync(logDir);
  } catch {
    return null;
  }
  for (const name of names) {
    const m = /^(.+)-(\d+)$/.exec(name);
    if (!m) continue;
    try {
      sizes.set(m[1]!, (sizes.get(m[1]!) ?? 0) + dirSize(join(logDir, name)));
    } catch {
      // not a partition directory
    }
  }
  return sizes;
}

/**
 * The topics view: every topic of the pipeline with partitions, replication factor, how orderflow
 * configures it, the retained offsets (markers included), the size on disk and the rate.
 */
export class TopicsView {
  private readonly rates = new RateTracker();
  constructor(private readonly ctx: KafkaContext) {}

  async list(): Promise<{ topics: TopicRow[]; countNote: string; configNote: string }> {
    const admin = await this.ctx.admin();
    const existing = new Set(await withTimeout(admin.listTopics(), 5000, 'listing topics'));
    const present = this.ctx.topics.filter((t) => existing.has(t.topic)).map((t) => t.topic);
    const meta =
      present.length === 0
        ? []
        : await withTimeout(admin.fetchTopicMetadata({ topics: present }), 5000, 'topic metadata');
    const sizes = sizesOnDisk(this.ctx.o.kafkaLogDir);
    const at = Date.now();
    const topics = await Promise.all(
      this.ctx.topics.map(async (t): Promise<TopicRow> => {
        const m = meta.find((x) => x.name === t.topic);
        const parts = m ? await watermarks(this.ctx, t.topic) : [];
        const end = parts.reduce((a, p) => a + p.high, 0);
        return {
          topic: t.topic,
          kind: t.kind,
          exists: Boolean(m),
          partitions: m?.partitions.length ?? 0,
          replicationFactor: m?.partitions[0]?.replicas.length ?? 0,
          cleanupPolicy: t.cleanupPolicy,
          retention: t.cleanupPolicy === 'compact' ? 'latest per key' : 'broker default',
          messagesUpperBound: parts.reduce((a, p) => a + p.high - p.low, 0),
          sizeBytes: m && sizes ? (sizes.get(t.topic) ?? 0) : null,
          ratePerSecond: m ? this.rates.update(t.topic, end, at) : null,
          partitionOffsets: parts,
        };
      }),
    );
    return {
      topics,
      countNote:
        'Messages = end offset − start offset per partition. Each committed transaction leaves one marker offset per partition it wrote, so this is an upper bound (transactional topics hold up to one marker per batch); the Messages view counts exact records for a range.',
      configNote:
        'Cleanup policy and retention are as orderflow creates the topics (the Node Kafka client cannot read topic configs back); the local stack sets log.retention.hours=-1 (keep forever).',
    };
  }
}
