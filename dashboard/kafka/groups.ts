import { consumersOf } from '../live/pipeline.ts';
import { MARKER_PROBE_MAX } from '../live/rates.ts';
import { watermarks, withTimeout, type KafkaContext } from './context.ts';
import { readRanges } from '../../common/record-reader.ts';

const STATES = ['UNKNOWN', 'PREPARING_REBALANCE', 'COMPLETING_REBALANCE', 'STABLE', 'DEAD', 'EMPTY'];

export interface GroupPartition {
  topic: string;
  partition: number;
  committed: number | null;
  end: number;
  /** Records behind: counted when the gap is small (markers are not records), else end minus committed. */
  lag: number;
  /** The lag was counted record by record (true) or is the offset difference (false). */
  counted: boolean;
  member: string | null;
}

export interface GroupRow {
  stage: string;
  group: string;
  state: string;
  members: { memberId: string; clientId: string; host: string; partitions: string[] }[];
  partitions: GroupPartition[];
  lag: number;
}

/** The consumer groups of the pipeline's stages and sinks: state, members, assignment, lag per partition. */
export async function consumerGroups(
  ctx: KafkaContext,
  splitGroups: readonly string[] = [],
): Promise<{ groups: GroupRow[]; lagNote: string }> {
  const admin = await ctx.admin();
  const existing = new Set(await withTimeout(admin.listTopics(), 5000, 'listing topics'));
  const consumers = consumersOf(ctx.o.topicPrefix, splitGroups).flatMap((c) =>
    c.groups
      .filter((g) => !g.endsWith('*'))
      .map((group) => ({ stage: c.stage, group, inputs: c.inputs.filter((t) => existing.has(t)) })),
  );
  const described = await withTimeout(
    admin.describeGroups(consumers.map((c) => c.group)),
    5000,
    'describing consumer groups',
  );
  const ends = new Map<string, { partition: number; low: number; high: number }[]>();
  for (const t of new Set(consumers.flatMap((c) => c.inputs))) ends.set(t, await watermarks(ctx, t));
  const groups = await Promise.all(
    consumers.map(async (c): Promise<GroupRow> => {
      const d = described.groups.find((g) => g.groupId === c.group);
      const owner = new Map<string, string>();
      const members = (d?.members ?? []).map((m) => {
        const parts = (m.assignment?.topicPartitions ?? []).map((tp) => `${tp.topic}[${tp.partition}]`);
        for (const p of parts) owner.set(p, m.clientId || m.memberId);
        return { memberId: m.memberId, clientId: m.clientId, host: m.clientHost, partitions: parts };
      });
      const fetched =
        c.inputs.length === 0
          ? []
          : await withTimeout(
              admin.fetchOffsets({ groupId: c.group, topics: c.inputs }),
              5000,
              `offsets of ${c.group}`,
            );
      const partitions: GroupPartition[] = [];
      for (const topic of c.inputs) {
        const committed = new Map(
          (fetched.find((f) => f.topic === topic)?.partitions ?? []).map((p) => [
            p.partition,
            Number(p.offset),
          ]),
        );
        for (const e of ends.get(topic) ?? []) {
          const offset = committed.get(e.partition);
          const has = offset !== undefined && offset >= 0;
          partitions.push({
            topic,
            partition: e.partition,
            committed: has ? offset : null,
            end: e.high,
            lag: Math.max(0, e.high - (has ? offset : e.low)),
            counted: false,
            member: owner.get(`${topic}[${e.partition}]`) ?? null,
          });
        }
      }
      await countSmallGaps(ctx, partitions);
      return {
        stage: c.stage,
        group: c.group,
        state: d ? (STATES[d.state as unknown as number] ?? String(d.state)) : 'UNKNOWN',
        members,
        partitions,
        lag: partitions.reduce((a, p) => a + p.lag, 0),
      };
    }),
  );
  return {
    groups,
    lagNote: `Lag = records behind. Gaps of up to ${MARKER_PROBE_MAX} offsets are read and counted (read_committed: transaction markers are not records); larger gaps are end offset − committed offset, markers included.`,
  };
}

/** Count the records in small gaps, so a caught-up transactional consumer reads lag 0, not its markers. */
async function countSmallGaps(ctx: KafkaContext, partitions: GroupPartition[]): Promise<void> {
  for (const p of partitions) if (p.lag === 0) p.counted = true;
  const small = partitions.filter((p) => p.committed !== null && p.lag > 0 && p.lag <= MARKER_PROBE_MAX);
  if (small.length === 0) return;
  const read = await readRanges(
    ctx.o.kafkaBootstrap,
    small.map((p) => ({ topic: p.topic, partition: p.partition, from: p.committed!, to: p.end })),
    { maxRecords: small.length * MARKER_PROBE_MAX, timeoutMs: 3000 },
  ).catch(() => null);
  if (!read?.complete) return;
  for (const p of small) {
    p.lag = read.records.filter((r) => r.topic === p.topic && r.partition === p.partition).length;
    p.counted = true;
  }
}
