import { consumersOf } from '../live/pipeline.ts';
import { watermarks, withTimeout, type KafkaContext } from './context.ts';

const STATES = ['UNKNOWN', 'PREPARING_REBALANCE', 'COMPLETING_REBALANCE', 'STABLE', 'DEAD', 'EMPTY'];

export interface GroupPartition {
  topic: string;
  partition: number;
  committed: number | null;
  end: number;
  /** End offset minus committed (or minus the start when never committed): transaction markers included. */
  lag: number;
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
            member: owner.get(`${topic}[${e.partition}]`) ?? null,
          });
        }
      }
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
    lagNote:
      'Lag = end offset − committed offset: a caught-up transactional consumer shows up to a few offsets of transaction markers, not records (the live tab counts those).',
  };
}
