import { describeError } from '../../common/errors.ts';
import { createKafka, type Admin } from '../../common/kafka.ts';
import type { Logger } from '../../common/logger.ts';
import { pipelineNames } from '../../common/names.ts';
import { ConnectClient } from '../../common/connect-client.ts';
import { TOPICS, SINK_DLQ_TOPIC, dlqTopic, topicName, type TopicKey } from '../../schemas/topics.ts';
import { furthestCommitted, hasWildcard, matchGroups } from './consumer-groups.ts';
import { parsePrometheusText, total } from './prometheus-text.ts';
import { RateTracker, gapsToCount, lagOf, partitionLag, type PartitionGap } from './rates.ts';
import { RecentOrdersReader, type RecentOrder, type TopicTail } from './recent-orders.ts';

export interface PipelineOptions {
  kafkaBootstrap: string;
  registryUrl: string;
  connectUrl: string;
  topicPrefix: string;
  /** Base URLs of the processors' HTTP servers (their /metrics). */
  processorUrls: string[];
  /**
   * Consumer groups of the split (`*` at the end: every group with that prefix). Empty: the splitter
   * service's group, `<prefix>orderflow-splitter`.
   */
  splitGroups?: string[];
  /** Checks the warehouse database answers (throws with the cause when it does not). */
  databaseProbe?: () => Promise<void>;
  /** The warehouse database's address, password removed (shown beside its state). */
  databaseAddress?: string;
  log: Logger;
}

/** One service the pipeline depends on, and whether it answered this refresh. */
export interface ComponentView {
  name: 'Kafka' | 'Schema registry' | 'Kafka Connect' | 'PostgreSQL';
  address: string;
  up: boolean;
  /** Why it is down (the client's own message), or what answered. */
  detail: string;
}

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
  kind: 'order' | 'split' | 'dlq';
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

export interface ProcessorView {
  url: string;
  reachable: boolean;
  stage: string | null;
  recordsIn: number;
  recordsOut: number;
  failed: number;
  dlq: number;
  error?: string;
}

export interface LiveSnapshot {
  at: string;
  prefix: string;
  /** Kafka, the registry, Connect and PostgreSQL: which are up, and why the others are not. */
  components: ComponentView[];
  kafka: { available: boolean; error?: string };
  topics: TopicView[];
  stages: StageView[];
  failures: { failedOrders: number; dlq: { topic: string; messages: number }[]; dlqTotal: number };
  processors: ProcessorView[];
  connect: {
    available: boolean;
    error?: string;
    connectors: { name: string; state: string; tasks: { id: number; state: string; trace?: string }[] }[];
  };
  recentOrders: RecentOrder[];
  recentError?: string;
}

function timeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Watches the running pipeline for the live tab: topic end offsets (Kafka admin), committed group
 * offsets against them (lag, throughput), the processors' /metrics, Connect's connector states and
 * the newest orders. Snapshots are cached briefly so many open pages cost one set of calls.
 */
export class PipelineWatcher {
  private admin: Admin | null = null;
  private readonly rates = new RateTracker();
  private readonly recent: RecentOrdersReader;
  private readonly connect: ConnectClient;
  private cached: { at: number; snapshot: Promise<LiveSnapshot> } | null = null;

  constructor(private readonly o: PipelineOptions) {
    this.recent = new RecentOrdersReader(o.kafkaBootstrap, o.registryUrl);
    this.connect = new ConnectClient(o.connectUrl);
  }

  snapshot(maxAgeMs = 1500): Promise<LiveSnapshot> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < maxAgeMs) return this.cached.snapshot;
    const snapshot = this.take();
    this.cached = { at: now, snapshot };
    snapshot.catch(() => (this.cached = null));
    return snapshot;
  }

  private async adminClient(): Promise<Admin> {
    if (this.admin) return this.admin;
    const admin = createKafka(this.o.kafkaBootstrap, 'orderflow-dashboard', this.o.log).admin();
    try {
      await timeout(admin.connect(), 5000, `Kafka at ${this.o.kafkaBootstrap}`);
    } catch (error) {
      // Free the client before the next refresh tries again with a new one.
      void admin.disconnect().catch(() => undefined);
      throw error;
    }
    this.admin = admin;
    return admin;
  }

  private async take(): Promise<LiveSnapshot> {
    const at = Date.now();
    const prefix = this.o.topicPrefix;
    const [kafka, processors, connect, registry, database] = await Promise.all([
      this.kafkaView(at).then(
        (v) => ({ ok: true as const, ...v }),
        (error: unknown) => ({
          ok: false as const,
          error: `Kafka at ${this.o.kafkaBootstrap}: ${describeError(error)}`,
        }),
      ),
      Promise.all(this.o.processorUrls.map((url) => this.processor(url))),
      this.connectors(),
      this.probe(async () => {
        const r = await fetch(`${this.o.registryUrl}/subjects`, { signal: AbortSignal.timeout(3000) });
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
      }),
      this.o.databaseProbe ? this.probe(this.o.databaseProbe) : Promise.resolve(undefined),
    ]);
    const components: ComponentView[] = [
      {
        name: 'Kafka',
        address: this.o.kafkaBootstrap,
        up: kafka.ok,
        detail: kafka.ok ? 'answering' : kafka.error,
      },
      { name: 'Schema registry', address: this.o.registryUrl, up: registry.up, detail: registry.detail },
      {
        name: 'Kafka Connect',
        address: this.o.connectUrl,
        up: connect.available,
        detail: connect.available ? 'answering' : (connect.error ?? 'not answering'),
      },
    ];
    if (database)
      components.push({
        name: 'PostgreSQL',
        address: this.o.databaseAddress ?? '',
        up: database.up,
        detail: database.detail,
      });
    let recentOrders: RecentOrder[] = [];
    let recentError: string | undefined;
    let stages: StageView[] = [];
    if (kafka.ok) {
      // Small gaps are often only transaction markers: count the records in them instead.
      let counted: ReadonlyMap<string, number> = new Map();
      try {
        counted = await timeout(
          this.recent.countRecords(gapsToCount(kafka.stages.flatMap((st) => st.gaps))),
          5000,
          'counting the records behind each group',
        );
      } catch (error) {
        this.o.log.debug({ err: describeError(error) }, 'lag by offsets only');
      }
      stages = kafka.stages.map(({ gaps, ...st }) => ({ ...st, lag: lagOf(gaps, counted) }));
      try {
        recentOrders = await timeout(this.recent.read(kafka.tails), 8000, 'reading the newest orders');
      } catch (error) {
        recentError = describeError(error);
      }
    }
    const topics = kafka.ok ? kafka.topics : [];
    const dlq = topics.filter((t) => t.kind === 'dlq').map((t) => ({ topic: t.topic, messages: t.messages }));
    return {
      at: new Date(at).toISOString(),
      prefix,
      components,
      kafka: kafka.ok ? { available: true } : { available: false, error: kafka.error },
      topics,
      stages,
      failures: {
        failedOrders: topics.find((t) => t.topic === topicName('failed', prefix))?.messages ?? 0,
        dlq,
        dlqTotal: dlq.reduce((a, d) => a + d.messages, 0),
      },
      processors,
      connect,
      recentOrders,
      ...(recentError ? { recentError } : {}),
    };
  }

  /** Whether `check` succeeds within 3 s: up, or down with the cause. */
  private async probe(check: () => Promise<void>): Promise<{ up: boolean; detail: string }> {
    try {
      await timeout(check(), 3000, 'the check');
      return { up: true, detail: 'answering' };
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      return { up: false, detail: describeError(error) + (cause ? `: ${describeError(cause)}` : '') };
    }
  }

  private async kafkaView(at: number) {
    const admin = await this.adminClient();
    const prefix = this.o.topicPrefix;
    const existing = new Set(await timeout(admin.listTopics(), 5000, 'listing topics'));
    const wanted: { topic: string; kind: TopicView['kind'] }[] = [];
    for (const [key, t] of Object.entries(TOPICS)) {
      const name = topicName(key as TopicKey, prefix);
      wanted.push({ topic: name, kind: ORDER_TOPICS.includes(key as TopicKey) ? 'order' : 'split' });
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
        const parts = (await timeout(admin.fetchTopicOffsets(topic), 5000, `offsets of ${topic}`)).map(
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
          ratePerSecond: this.rates.update(`topic:${topic}`, endOffset, at),
        };
      }),
    );

    const consumers = consumersOf(prefix, this.o.splitGroups ?? []);
    // Groups named by a prefix are looked up once per refresh, and only when there are any.
    const listed = consumers.some((c) => hasWildcard(c.groups))
      ? (await timeout(admin.listGroups(), 5000, 'listing consumer groups')).groups.map((g) => g.groupId)
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
              timeout(admin.fetchOffsets({ groupId, topics: inputs }), 5000, `offsets of group ${groupId}`),
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
          throughputPerSecond: active ? this.rates.update(`stage:${c.stage}`, committed, at) : null,
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

  private async processor(url: string): Promise<ProcessorView> {
    const base = url.replace(/\/+$/, '');
    try {
      const response = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(1500) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const samples = parsePrometheusText(await response.text());
      const stage = samples.find((s) => s.name === 'orderflow_stage_records_in_total')?.labels.stage ?? null;
      return {
        url: base,
        reachable: true,
        stage,
        recordsIn: total(samples, 'orderflow_stage_records_in_total'),
        recordsOut: total(samples, 'orderflow_stage_records_out_total'),
        failed: total(samples, 'orderflow_stage_records_failed_total'),
        dlq: total(samples, 'orderflow_stage_records_dlq_total'),
      };
    } catch (error) {
      return {
        url: base,
        reachable: false,
        stage: null,
        recordsIn: 0,
        recordsOut: 0,
        failed: 0,
        dlq: 0,
        error: describeError(error),
      };
    }
  }

  private async connectors(): Promise<LiveSnapshot['connect']> {
    try {
      const names = (await this.connect.list()).filter((n) =>
        n.startsWith(`${this.o.topicPrefix}orderflow-`),
      );
      const statuses = await Promise.all(names.map((n) => this.connect.status(n)));
      return {
        available: true,
        connectors: statuses
          .filter((s) => s !== null)
          .map((s) => ({
            name: s.name,
            state: s.connector.state,
            tasks: s.tasks.map((t) => ({
              id: t.id,
              state: t.state,
              ...(t.trace ? { trace: t.trace.split('\n')[0] } : {}),
            })),
          })),
      };
    } catch (error) {
      return { available: false, error: describeError(error), connectors: [] };
    }
  }

  async close(): Promise<void> {
    await this.recent.close().catch(() => undefined);
    const admin = this.admin;
    this.admin = null;
    if (admin) await admin.disconnect().catch(() => undefined);
  }
}
