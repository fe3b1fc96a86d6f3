/**
 * PostgreSQL (the cluster that holds the shop database, and the warehouse too) restarted while the
 * Debezium source connector streams: a writer keeps changing the shop database before, during and
 * after the restart (a new restock row and a new stock level per change, retried on a lost
 * connection), and afterwards the landed copies equal the shop tables, row by row (reconcile), every
 * restock the writer committed landed, and the connectors run again. Real stack: PostgreSQL through
 * the stack's own stop and start code, Kafka, the registry and Connect.
 *
 * Both connectors' tasks fail during the outage (measured: the sink on its lost JDBC connection, the
 * source when the registry, whose storage is in the same cluster, answers with the database's
 * error) and Connect never restarts a FAILED task: the connect watchdog does, as under
 * `orderflow run`, so it runs here too. The source resumes from its committed LSN: the slot kept the
 * WAL, nothing is lost.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { connectWarehouse } from '../../../common/database.ts';
import { SHOP_SCHEMA } from '../../../common/shop-database.ts';
import { describeError } from '../../../common/errors.ts';
import { cdcConnectorNames } from '../../../common/names.ts';
import { deleteCdc, deployCdc } from '../../../connect/deploy.ts';
import type { CdcValues } from '../../../connect/cdc-config.ts';
import { watchSinks, type WatchState } from '../../../connect/watchdog.ts';
import { describeDifferences } from '../../../shop/reconcile-compare.ts';
import { freshSchema, type FreshSchema } from '../warehouse/fresh-schema.ts';
import { conn, deleteTopicsWhere, log, uniquePrefix } from '../helpers.ts';
import { dropShop, freshShopUrl, localCdcValues, reconcileUntilClean } from '../shop/fresh-shop.ts';
import { component, restore } from './stack-control.ts';

const prefix = uniquePrefix('pgrestart');
const shopUrl = freshShopUrl('pgrestart');
let wh: FreshSchema;
let values: CdcValues;

async function connectorStates(): Promise<Record<string, string[]>> {
  const names = cdcConnectorNames(prefix);
  const out: Record<string, string[]> = {};
  for (const name of [names.source, names.sink]) {
    const res = await fetch(`${conn.connectUrl}/connectors/${encodeURIComponent(name)}/status`);
    const body = (await res.json()) as { connector: { state: string }; tasks: { state: string }[] };
    out[name] = [body.connector.state, ...body.tasks.map((t) => t.state)];
  }
  return out;
}

beforeAll(async () => {
  wh = await freshSchema('pgrestart');
  values = localCdcValues(prefix, wh.schema, shopUrl);
  const deployed = await deployCdc(conn.connectUrl, values, 1, 120_000);
  expect(deployed.healthy).toBe(true);
}, 180_000);

afterAll(async () => {
  await restore('postgres').catch(() => undefined);
  await deleteCdc(conn.connectUrl, values).catch(() => undefined);
  await dropShop(shopUrl).catch(() => undefined);
  // The schema's first client died with the restart: drop it through a new one.
  const whAdmin = await connectWarehouse(conn.databaseUrl, wh.schema);
  await whAdmin.query(`drop schema if exists "${wh.schema}" cascade`);
  await whAdmin.end();
  await deleteTopicsWhere((t) => t.startsWith(prefix));
}, 300_000);

describe('PostgreSQL restarted while the CDC source streams', () => {
  it('loses no change: the landed copies equal the shop tables afterwards', async () => {
    wh.client.on('error', () => undefined); // terminated by the restart, not used after it
    const controller = new AbortController();
    let watch: WatchState | undefined;
    const names = cdcConnectorNames(prefix);
    const watchdog = watchSinks({
      connectUrl: conn.connectUrl,
      names: [names.source, names.sink],
      log,
      pollMs: 1000,
      signal: controller.signal,
      onPoll: (state) => (watch = { ...state }),
    });
    const snapshot = await reconcileUntilClean(shopUrl, wh.schema, 120_000);
    expect(snapshot.flatMap(describeDifferences)).toEqual([]);

    // The writer: one change every 25 ms, each a transaction that inserts restock pgr-<n> and sets
    // the stock of one SKU to n. A change counts as committed only when COMMIT returned; on a lost
    // connection it reconnects and retries the same n (the insert is idempotent by key).
    const committed: number[] = [];
    const errors: string[] = []; // the writer's failures, in order, for the report below
    let failures = 0;
    let stop = false;
    let client: pg.Client | undefined;
    const writer = (async () => {
      let n = 0;
      while (!stop) {
        try {
          if (!client) {
            // Bounded waits: a connection or a query that hangs across the restart fails and is retried.
            client = new pg.Client({
              connectionString: shopUrl,
              options: `-c search_path=${SHOP_SCHEMA}`,
              connectionTimeoutMillis: 5_000,
              query_timeout: 5_000,
            });
            client.on('error', () => undefined); // the query in flight fails and is retried
            await client.connect();
          }
          await client.query('begin');
          await client.query(
            `insert into restocks values ($1, $2, 'central', 10, 'ordered', now(), now() + interval '3 days', null)
             on conflict (restock_id) do nothing`,
            [`pgr-${n}`, (n % 55) + 1],
          );
          await client.query(`update stock set on_hand = $1 where sku = $2 and location_id = 'central'`, [
            1000 + n,
            (n % 55) + 1,
          ]);
          await client.query('commit');
          committed.push(n);
          n++;
          await sleep(25);
        } catch (error) {
          failures++;
          errors.push(`${new Date().toISOString()} ${describeError(error)}`);
          await client?.end().catch(() => undefined);
          client = undefined;
          await sleep(200);
        }
      }
      await client?.end().catch(() => undefined);
    })();

    const postgres = component('postgres');
    const pidBefore = postgres.pid();
    let beforeRestart = 0;
    try {
      await sleep(3_000);
      beforeRestart = committed.length;
      expect(await postgres.stop()).toBe('stopped');
      await sleep(2_000); // down while the connector and the sink try to read and write
      await restore('postgres');
      const upAgain = committed.length;
      const deadline = Date.now() + 120_000;
      // More than 100 after the restart: the assertion below wants more than beforeRestart + 100.
      while (committed.length <= upAgain + 100 && Date.now() < deadline) await sleep(250);
    } finally {
      stop = true;
      await writer;
    }
    expect(postgres.pid()).not.toBe(pidBefore);
    expect(failures).toBeGreaterThan(0); // the restart really cut the writer off
    expect(beforeRestart).toBeGreaterThan(20);
    // written after the restart too (on failure, the writer's errors say why it could not)
    expect(committed.length, `the writer's errors:\n${errors.join('\n')}`).toBeGreaterThan(
      beforeRestart + 100,
    );

    const started = Date.now();
    const after = await reconcileUntilClean(shopUrl, wh.schema, 240_000);
    const cleanAfterMs = Date.now() - started;
    controller.abort();
    await watchdog;
    expect(after.flatMap(describeDifferences)).toEqual([]);
    const wh2 = await connectWarehouse(conn.databaseUrl, wh.schema);
    const { rows } = await wh2
      .query<{ n: string }>(`select count(*) as n from shop_restocks where restock_id like 'pgr-%'`)
      .finally(() => wh2.end());
    expect(Number(rows[0]!.n)).toBe(committed.length);
    const states = await connectorStates();
    console.log(
      `PostgreSQL restart: ${beforeRestart} changes before, ${committed.length} committed in all, ${failures} writer failures; watchdog restarts ${watch?.restarts}; clean ${cleanAfterMs} ms after the writer stopped; connectors ${JSON.stringify(states)}`,
    );
    for (const s of Object.values(states)) expect(s.every((x) => x === 'RUNNING')).toBe(true);
  }, 600_000);
});
