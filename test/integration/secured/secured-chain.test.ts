/**
 * The whole chain on a secured cluster: the generator (the CLI, as a user runs it), the three stages
 * and the splitter (in this process), a Connect worker of its own and reconcile, every one of them
 * reaching Kafka only through the SASL_SSL listener (SCRAM-SHA-512, the stack's self-signed CA),
 * with the credentials only in the environment. A wrong password fails at once, naming the refused
 * login, and the password shows up in no output.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteSinks, deploySinks } from '../../../connect/deploy.ts';
import { runReconcile } from '../../../connect/reconcile.ts';
import type { SinkValues } from '../../../connect/sink-config.ts';
import type { RunningStage } from '../../../processors/service.ts';
import { STAGE_NAMES } from '../../../processors/stages.ts';
import type { StageRuntime } from '../../../runtime/index.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { ensureTopics, topicPlan } from '../../../stack/topics.ts';
import { connectWarehouse } from '../../../common/database.ts';
import { migrate } from '../../../warehouse/migrate.ts';
import { pipelineNames } from '../../../common/names.ts';
import { conn, deleteTopicsWhere, localSinkValues, log, ORDERFLOW_BIN, uniquePrefix } from '../helpers.ts';
import { eventually } from '../landing/landing-fixture.ts';
import { startStage, startTestSplitter, testSettings } from '../processors/pipeline.ts';
import {
  openSecuredCluster,
  startSecuredConnect,
  type SecuredCluster,
  type SecuredConnect,
} from './secured-cluster.ts';

const ORDERS = 500;
const SEED = 23;

const prefix = uniquePrefix('sasl');
const schema = `${prefix}wh`.toLowerCase();
let cluster: SecuredCluster;
let connect: SecuredConnect | undefined;
let sinkValues: SinkValues | undefined;
const stages: RunningStage[] = [];
let splitter: StageRuntime<Order> | undefined;

/** `orderflow generate` as a child process with the given environment on top of this one's. */
function generate(env: Record<string, string>) {
  const r = spawnSync(
    process.execPath,
    [ORDERFLOW_BIN, 'generate', '--count', String(ORDERS), '--seed', String(SEED), '--topic-prefix', prefix],
    {
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        ...process.env,
        ORDERFLOW_KAFKA_BOOTSTRAP: cluster.bootstrap,
        ORDERFLOW_GENERATOR_RETRY_BUDGET_MS: '20000',
        ...env,
      },
    },
  );
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const phases: Record<string, number> = {};
let mark = Date.now();
const phase = (name: string) => {
  phases[name] = (Date.now() - mark) / 1000;
  mark = Date.now();
};

beforeAll(async () => {
  mark = Date.now();
  cluster = await openSecuredCluster();
  phase('scram user');
  await ensureTopics({
    bootstrap: cluster.bootstrap,
    registryUrl: conn.registryUrl,
    prefix,
    partitions: 3,
    replicationFactor: 1,
    log,
  });
  await migrate(conn.databaseUrl, schema);
  phase('topics and schema');
  connect = await startSecuredConnect(cluster, prefix);
  phase('secured connect worker');
  sinkValues = localSinkValues(prefix, schema);
  const deployed = await deploySinks(connect.url, sinkValues, 120_000);
  if (!deployed.healthy)
    throw new Error(`sinks not RUNNING on the secured worker: ${JSON.stringify([...deployed.statuses])}`);
  phase('sinks');
  for (const stage of STAGE_NAMES)
    stages.push(await startStage(stage, testSettings(stage, prefix, { kafkaBootstrap: cluster.bootstrap })));
  splitter = await startTestSplitter(prefix, cluster.bootstrap);
  phase('stages and splitter');
});

afterAll(async () => {
  mark = Date.now();
  await splitter?.stop().catch(() => undefined);
  for (const s of stages) await s.stop().catch(() => undefined);
  if (connect && sinkValues) await deleteSinks(connect.url, sinkValues).catch(() => undefined);
  await connect?.close().catch((error) => log.warn({ err: error }, 'secured connect clean-up'));
  const db = await connectWarehouse(conn.databaseUrl, schema);
  await db.query(`drop schema if exists "${schema}" cascade`).finally(() => db.end());
  if (cluster) {
    const ours = new Set([
      ...topicPlan(prefix, 1).map((t) => t.topic),
      ...STAGE_NAMES.map((stage) => pipelineNames(prefix).pending(stage)),
    ]);
    await deleteTopicsWhere((t) => ours.has(t), cluster.bootstrap);
    await cluster.close();
  }
  phase('clean-up');
  log.warn({ phases }, 'secured chain: seconds per phase');
});

describe('the chain on the SASL_SSL listener', () => {
  it('refuses a wrong password at once with an error naming the failed authentication', () => {
    const wrong = `${cluster.password}x`;
    const r = generate({ ORDERFLOW_KAFKA_SASL_PASSWORD: wrong });
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toContain('ORDERFLOW_KAFKA_AUTH_FAILED');
    expect(r.out).toMatch(/SASL authentication error.*invalid credentials.*SCRAM-SHA-512/);
    expect(r.out).not.toContain(wrong);
  });

  it('lands every generated order in PostgreSQL through stages, splitter and Connect', async () => {
    const started = Date.now();
    const r = generate({});
    expect(r.code, r.out).toBe(0);
    expect(r.out).not.toContain(cluster.password);

    const db = await connectWarehouse(conn.databaseUrl, schema);
    const count = async (table: string) =>
      Number((await db.query<{ n: string }>(`select count(*)::text as n from ${table}`)).rows[0]!.n);
    try {
      const landed = await eventually(async () => (await count('orders')) === ORDERS, 150_000);
      expect(landed, `orders landed: ${await count('orders')} of ${ORDERS}`).toBe(true);
      log.warn({ orders: ORDERS, seconds: (Date.now() - started) / 1000 }, 'landed through SASL_SSL');
      expect(await count('order_items')).toBeGreaterThan(ORDERS);
      const statuses = (
        await db.query<{ status: string }>(`select distinct order_status as status from orders`)
      ).rows.map((x) => x.status);
      expect(statuses.length).toBeGreaterThan(1); // delivered and at least one failure status
    } finally {
      await db.end();
    }

    const result = await runReconcile({
      kafkaBootstrap: cluster.bootstrap,
      registryUrl: conn.registryUrl,
      databaseUrl: conn.databaseUrl,
      topicPrefix: prefix,
      warehouseSchema: schema,
      timeoutMs: 60_000,
      log,
    });
    expect(result).toMatchObject({ ok: true, kafkaOrders: ORDERS, landedOrders: ORDERS, missing: [] });
  });
});
