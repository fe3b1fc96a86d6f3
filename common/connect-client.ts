import { setTimeout as sleep } from 'node:timers/promises';
/**
 * Kafka Connect's REST API, the few calls orderflow needs: create-or-update a connector, read its
 * status, stop/reset/resume it (to replay a topic into the database) and delete it.
 */
import { OrderflowError, describeError } from './errors.ts';
import { DEFAULT_BACKOFF, backoffDelay } from './retry.ts';

export interface ConnectorConfig {
  name: string;
  config: Record<string, string>;
}

export type State = 'RUNNING' | 'FAILED' | 'PAUSED' | 'STOPPED' | 'UNASSIGNED' | 'RESTARTING';

export interface ConnectorStatus {
  name: string;
  connector: { state: State; worker_id?: string; trace?: string };
  tasks: { id: number; state: State; worker_id?: string; trace?: string }[];
}

/**
 * How long a call is repeated while the worker answers 409: Connect's "rebalance in progress" or
 * "stale configuration (typically caused by a concurrent config change)", both passing states
 * whenever another connector of the cluster is being created, changed or deleted.
 */
const CONFLICT_BUDGET_MS = 60_000;

export class ConnectClient {
  constructor(private readonly baseUrl: string) {}

  private async call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    const deadline = Date.now() + CONFLICT_BUDGET_MS;
    for (let failures = 1; ; failures++) {
      const answer = await this.callOnce(method, path, body);
      if (answer.status !== 409 || Date.now() >= deadline) return answer;
      await sleep(backoffDelay(DEFAULT_BACKOFF, failures));
    }
  }

  private async callOnce(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    let response: Response;
    try {
      response = await fetch(this.baseUrl.replace(/\/+$/, '') + path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new OrderflowError(
        'ORDERFLOW_CONNECT_UNAVAILABLE',
        `Kafka Connect at ${this.baseUrl} did not answer ${method} ${path}: ${describeError(error)}; is it running? (orderflow stack status)`,
        { cause: error, retriable: true },
      );
    }
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: response.status, json };
  }

  private fail(what: string, status: number, json: unknown): OrderflowError {
    const message = (json as { message?: string } | null)?.message ?? JSON.stringify(json);
    return new OrderflowError('ORDERFLOW_CONNECTOR_FAILED', `${what}: HTTP ${status}: ${message}`, {
      retriable: status >= 500,
    });
  }

  /** Create the connector or replace its configuration (PUT is idempotent). */
  async put(connector: ConnectorConfig): Promise<'created' | 'updated'> {
    const { status, json } = await this.call(
      'PUT',
      `/connectors/${encodeURIComponent(connector.name)}/config`,
      connector.config,
    );
    if (status === 201) return 'created';
    if (status === 200) return 'updated';
    throw this.fail(`configuring connector ${connector.name} failed`, status, json);
  }

  /** The status, or null when no such connector exists. */
  async status(name: string): Promise<ConnectorStatus | null> {
    const { status, json } = await this.call('GET', `/connectors/${encodeURIComponent(name)}/status`);
    if (status === 404) return null;
    if (status !== 200) throw this.fail(`reading the status of ${name} failed`, status, json);
    return json as ConnectorStatus;
  }

  /** A connector's configuration as the worker holds it, or null when no such connector exists. */
  async config(name: string): Promise<Record<string, string> | null> {
    const { status, json } = await this.call('GET', `/connectors/${encodeURIComponent(name)}/config`);
    if (status === 404) return null;
    if (status !== 200) throw this.fail(`reading the configuration of ${name} failed`, status, json);
    return json as Record<string, string>;
  }

  async list(): Promise<string[]> {
    const { status, json } = await this.call('GET', '/connectors');
    if (status !== 200) throw this.fail('listing connectors failed', status, json);
    return json as string[];
  }

  async delete(name: string): Promise<boolean> {
    const { status, json } = await this.call('DELETE', `/connectors/${encodeURIComponent(name)}`);
    if (status === 404) return false;
    if (status !== 204 && status !== 200) throw this.fail(`deleting ${name} failed`, status, json);
    return true;
  }

  async stop(name: string): Promise<void> {
    const { status, json } = await this.call('PUT', `/connectors/${encodeURIComponent(name)}/stop`);
    if (status !== 202 && status !== 204) throw this.fail(`stopping ${name} failed`, status, json);
  }

  async resume(name: string): Promise<void> {
    const { status, json } = await this.call('PUT', `/connectors/${encodeURIComponent(name)}/resume`);
    if (status !== 202 && status !== 204) throw this.fail(`resuming ${name} failed`, status, json);
  }

  /** Restart a connector's failed instance and failed tasks (Connect 3.0+: 202 or 204, 404 if unknown). */
  async restartFailed(name: string): Promise<void> {
    const { status, json } = await this.call(
      'POST',
      `/connectors/${encodeURIComponent(name)}/restart?includeTasks=true&onlyFailed=true`,
    );
    if (status !== 202 && status !== 204 && status !== 200) {
      throw this.fail(`restarting the failed tasks of ${name} failed`, status, json);
    }
  }

  /** Forget a stopped sink connector's committed offsets: it re-reads its topics from the start. */
  async resetOffsets(name: string): Promise<void> {
    const { status, json } = await this.call('DELETE', `/connectors/${encodeURIComponent(name)}/offsets`);
    if (status !== 200) throw this.fail(`resetting the offsets of ${name} failed`, status, json);
  }
}

/** Is this connector healthy: it and all its tasks (at least one) RUNNING? */
export function isRunning(status: ConnectorStatus | null): boolean {
  return (
    status !== null &&
    status.connector.state === 'RUNNING' &&
    status.tasks.length > 0 &&
    status.tasks.every((t) => t.state === 'RUNNING')
  );
}

export function hasFailed(status: ConnectorStatus | null): boolean {
  return (
    status !== null && (status.connector.state === 'FAILED' || status.tasks.some((t) => t.state === 'FAILED'))
  );
}

/** Poll until every connector is RUNNING, one FAILS, or the time is up; returns the last statuses. */
export async function waitForRunning(
  client: ConnectClient,
  names: string[],
  timeoutMs: number,
  pollMs = 1000,
): Promise<Map<string, ConnectorStatus | null>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const statuses = new Map<string, ConnectorStatus | null>();
    for (const name of names) statuses.set(name, await client.status(name));
    const all = [...statuses.values()];
    if (all.every(isRunning) || all.some(hasFailed) || Date.now() >= deadline) return statuses;
    await sleep(pollMs);
  }
}

/** Lines for a person: each connector's state, then each task's, with the trace of a failed one. */
export function formatStatus(name: string, status: ConnectorStatus | null): string[] {
  if (!status) return [`${name}: not deployed`];
  const lines = [
    `${name}: ${status.connector.state}${status.connector.worker_id ? ` on ${status.connector.worker_id}` : ''}`,
  ];
  if (status.connector.trace) lines.push(indent(status.connector.trace));
  if (status.tasks.length === 0) lines.push('  (no tasks yet)');
  for (const t of status.tasks) {
    lines.push(`  task ${t.id}: ${t.state}${t.worker_id ? ` on ${t.worker_id}` : ''}`);
    if (t.state === 'FAILED' && t.trace) lines.push(indent(t.trace));
  }
  return lines;
}

function indent(trace: string): string {
  return trace
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
}
