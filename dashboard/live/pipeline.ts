import { describeError } from '../../common/errors.ts';
import { createKafka, type Admin } from '../../common/kafka.ts';
import type { Logger } from '../../common/logger.ts';
import { ConnectClient } from '../../common/connect-client.ts';
import { topicName } from '../../schemas/topics.ts';
import { answerWithin } from './answer-within.ts';
import { cdcLag, type CdcLag, type CdcLanding } from './cdc-lag.ts';
import type { LiveCarts } from './live-carts.ts';
import { readKafkaView, type StageView, type TopicView } from './kafka-view.ts';
import {
  probe,
  readConnectors,
  readProcessor,
  type ComponentView,
  type ConnectView,
  type ProcessorView,
} from './probes.ts';
import { RateTracker, gapsToCount, lagOf } from './rates.ts';
import { RecentOrdersReader, type RecentOrder } from './recent-orders.ts';

export { consumersOf, type StageView, type TopicView } from './kafka-view.ts';
export type { ComponentView, ConnectView, ProcessorView } from './probes.ts';

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
  /**
   * The shop tables' rows as the change stream landed them (dashboard/live/cdc-landings.ts), for the
   * CDC lag; null when the warehouse has no shop tables. Without it the snapshot has no CDC lag.
   */
  cdcLandings?: (windowMs: number) => Promise<{ now: number; landings: CdcLanding[] } | null>;
  /** Storefront carts open and converting (dashboard/live/live-carts.ts); null when none landed. */
  liveCarts?: () => Promise<LiveCarts | null>;
  log: Logger;
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
  connect: ConnectView;
  recentOrders: RecentOrder[];
  recentError?: string;
  /** The shop database's change stream: lag from a change in the shop to its row in the warehouse. */
  cdc?: CdcLag;
  cdcError?: string;
  /** Storefront carts from the warehouse: open now, created and checked out in the last simulated hour. */
  carts?: LiveCarts;
  cartsError?: string;
}

/** The CDC lag is worked out over the changes landed in the last 10 minutes. */
export const CDC_LAG_WINDOW_MS = 10 * 60_000;

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
      await answerWithin(admin.connect(), 5000, `Kafka at ${this.o.kafkaBootstrap}`);
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
    const [kafka, processors, connect, registry, database, cdc, carts] = await Promise.all([
      this.kafkaView(at).then(
        (v) => ({ ok: true as const, ...v }),
        (error: unknown) => ({
          ok: false as const,
          error: `Kafka at ${this.o.kafkaBootstrap}: ${describeError(error)}`,
        }),
      ),
      Promise.all(this.o.processorUrls.map((url) => readProcessor(url))),
      readConnectors(this.connect, this.o.topicPrefix),
      probe(async () => {
        const r = await fetch(`${this.o.registryUrl}/subjects`, { signal: AbortSignal.timeout(3000) });
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
      }),
      this.o.databaseProbe ? probe(this.o.databaseProbe) : Promise.resolve(undefined),
      this.cdcLag(),
      this.carts(),
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
        counted = await answerWithin(
          this.recent.countRecords(gapsToCount(kafka.stages.flatMap((st) => st.gaps))),
          5000,
          'counting the records behind each group',
        );
      } catch (error) {
        this.o.log.debug({ err: describeError(error) }, 'lag by offsets only');
      }
      stages = kafka.stages.map(({ gaps, ...st }) => ({ ...st, lag: lagOf(gaps, counted) }));
      try {
        recentOrders = await answerWithin(this.recent.read(kafka.tails), 8000, 'reading the newest orders');
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
      ...cdc,
      ...carts,
    };
  }

  private async carts(): Promise<{ carts?: LiveCarts; cartsError?: string }> {
    if (!this.o.liveCarts) return {};
    try {
      const carts = await answerWithin(this.o.liveCarts(), 3000, 'reading the storefront carts');
      return carts ? { carts } : {};
    } catch (error) {
      return { cartsError: describeError(error) };
    }
  }

  private async cdcLag(): Promise<{ cdc?: CdcLag; cdcError?: string }> {
    if (!this.o.cdcLandings) return {};
    try {
      const read = await answerWithin(
        this.o.cdcLandings(CDC_LAG_WINDOW_MS),
        3000,
        'reading the landed shop rows',
      );
      return read ? { cdc: cdcLag(read.landings, read.now, CDC_LAG_WINDOW_MS) } : {};
    } catch (error) {
      return { cdcError: describeError(error) };
    }
  }
  private async kafkaView(at: number) {
    return readKafkaView(await this.adminClient(), {
      prefix: this.o.topicPrefix,
      splitGroups: this.o.splitGroups ?? [],
      rates: this.rates,
      at,
    });
  }

  async close(): Promise<void> {
    await this.recent.close().catch(() => undefined);
    const admin = this.admin;
    this.admin = null;
    if (admin) await admin.disconnect().catch(() => undefined);
  }
}
