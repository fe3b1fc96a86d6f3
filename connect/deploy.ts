import { setTimeout as sleep } from 'node:timers/promises';
/**
 * Deploy the sink connectors (create or update, then wait for RUNNING) and report their state.
 */
import { OrderflowError } from '../common/errors.ts';
import {
  ConnectClient,
  formatStatus,
  hasFailed,
  isRunning,
  waitForRunning,
  type ConnectorStatus,
} from '../common/connect-client.ts';
import type { ConnectorConfig } from '../common/connect-client.ts';
import { renderSinks, type SinkValues } from './sink-config.ts';
import { renderCdcConnectors, type CdcValues } from './cdc-config.ts';
import { migrateShop, type ShopMigrateResult } from '../common/shop-database.ts';

export interface DeployResult {
  connectors: ConnectorConfig[];
  actions: Map<string, 'created' | 'updated'>;
  statuses: Map<string, ConnectorStatus | null>;
  healthy: boolean;
}

export async function deploySinks(
  connectUrl: string,
  values: SinkValues,
  waitMs: number,
): Promise<DeployResult> {
  const client = new ConnectClient(connectUrl);
  const connectors = renderSinks(values);
  const { actions, statuses, healthy } = await putAndWait(client, connectors, waitMs);
  return { connectors, actions, statuses, healthy };
}

export async function sinkStatuses(
  connectUrl: string,
  values: SinkValues,
): Promise<Map<string, ConnectorStatus | null>> {
  return statusesOf(connectUrl, renderSinks(values));
}

/** Each connector's status by name (null: not deployed). */
async function statusesOf(
  connectUrl: string,
  connectors: { name: string }[],
): Promise<Map<string, ConnectorStatus | null>> {
  const client = new ConnectClient(connectUrl);
  const statuses = new Map<string, ConnectorStatus | null>();
  for (const c of connectors) statuses.set(c.name, await client.status(c.name));
  return statuses;
}

/** Print each connector and task, and fail (non-zero exit) unless all are RUNNING. */
export function reportStatuses(
  statuses: Map<string, ConnectorStatus | null>,
  print: (line: string) => void,
): void {
  for (const [name, status] of statuses) for (const line of formatStatus(name, status)) print(line);
  const failed = [...statuses].filter(([, s]) => hasFailed(s)).map(([n]) => n);
  const notRunning = [...statuses].filter(([, s]) => !isRunning(s)).map(([n]) => n);
  if (failed.length > 0) {
    throw new OrderflowError(
      'ORDERFLOW_CONNECTOR_FAILED',
      `connector(s) FAILED: ${failed.join(', ')} (traces above)`,
    );
  }
  if (notRunning.length > 0) {
    throw new OrderflowError(
      'ORDERFLOW_CONNECTOR_FAILED',
      `connector(s) not RUNNING: ${notRunning.join(', ')}`,
      { retriable: true },
    );
  }
}

/** Remove the sink connectors of a prefix (tests clean up their own). */
export async function deleteSinks(connectUrl: string, values: SinkValues): Promise<string[]> {
  const client = new ConnectClient(connectUrl);
  const deleted: string[] = [];
  for (const c of renderSinks(values)) if (await client.delete(c.name)) deleted.push(c.name);
  return deleted;
}

/**
 * Replay: stop the connectors, forget their offsets, resume. Every record on the split topics is
 * written again; with upserts by key the tables end up the same.
 */
export async function replaySinks(connectUrl: string, values: SinkValues, waitMs: number): Promise<void> {
  const client = new ConnectClient(connectUrl);
  const names = renderSinks(values).map((c) => c.name);
  for (const name of names) await client.stop(name);
  const deadline = Date.now() + waitMs;
  for (const name of names) {
    for (;;) {
      const s = await client.status(name);
      if (s?.connector.state === 'STOPPED') break;
      if (Date.now() > deadline)
        throw new OrderflowError('ORDERFLOW_CONNECTOR_FAILED', `${name} did not stop`);
      await sleep(500);
    }
    await client.resetOffsets(name);
  }
  for (const name of names) await client.resume(name);
  const statuses = await waitForRunning(client, names, waitMs);
  reportStatuses(statuses, () => undefined);
}

/**
 * Change data capture: make sure the shop database exists with its publication and replication
 * slot (migrating and seeding it if `orderflow shop migrate` never ran), then create or update the
 * Debezium source connector and the sink that lands its topics, and wait for them to run.
 */
export async function deployCdc(
  connectUrl: string,
  values: CdcValues,
  seed: number,
  waitMs: number,
): Promise<DeployResult & { shop: ShopMigrateResult }> {
  await requirePostgresSource(connectUrl);
  const shop = await migrateShop(values.shopDatabaseUrl, seed);
  const client = new ConnectClient(connectUrl);
  const connectors = renderCdcConnectors(values);
  const { actions, statuses, healthy } = await putAndWait(client, connectors, waitMs);
  return { connectors, actions, statuses, healthy, shop };
}

export async function cdcStatuses(
  connectUrl: string,
  values: CdcValues,
): Promise<Map<string, ConnectorStatus | null>> {
  return statusesOf(connectUrl, renderCdcConnectors(values));
}

/** Remove the CDC connectors of a prefix (the slot stays: `orderflow shop reset` drops it). */
export async function deleteCdc(connectUrl: string, values: CdcValues): Promise<string[]> {
  const client = new ConnectClient(connectUrl);
  const deleted: string[] = [];
  for (const c of renderCdcConnectors(values)) if (await client.delete(c.name)) deleted.push(c.name);
  return deleted;
}

const POSTGRES_SOURCE = 'io.debezium.connector.postgresql.PostgresConnector';

/**
 * A worker started before the Debezium PostgreSQL plugin was unpacked does not have it (Connect
 * scans plugin.path at start only): say so, with the fix, instead of Connect's class-not-found.
 */
async function requirePostgresSource(connectUrl: string): Promise<void> {
  let plugins: { class: string }[];
  try {
    const res = await fetch(`${connectUrl.replace(/\/+$/, '')}/connector-plugins`, {
      signal: AbortSignal.timeout(10_000),
    });
    plugins = (await res.json()) as { class: string }[];
  } catch (error) {
    throw new OrderflowError(
      'ORDERFLOW_CONNECT_UNAVAILABLE',
      `Kafka Connect at ${connectUrl} did not answer`,
      {
        cause: error,
        retriable: true,
      },
    );
  }
  if (!plugins.some((p) => p.class === POSTGRES_SOURCE)) {
    throw new OrderflowError(
      'ORDERFLOW_CONNECTOR_FAILED',
      `the Connect worker at ${connectUrl} has no ${POSTGRES_SOURCE}: run scripts/setup.sh (it unpacks the Debezium PostgreSQL plugin), then restart the worker (orderflow stack down && orderflow stack up); or deploy without change data capture: orderflow connect deploy --no-cdc`,
    );
  }
}

/** Create or update each connector, then wait (up to `waitMs`) until they all run. */
async function putAndWait(client: ConnectClient, connectors: ConnectorConfig[], waitMs: number) {
  const actions = new Map<string, 'created' | 'updated'>();
  for (const c of connectors) actions.set(c.name, await client.put(c));
  const statuses = await waitForRunning(
    client,
    connectors.map((c) => c.name),
    waitMs,
  );
  return { actions, statuses, healthy: [...statuses.values()].every(isRunning) };
}
