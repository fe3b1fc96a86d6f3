/**
 * The sink connectors' watchdog: Kafka Connect never restarts a FAILED task by itself (a database
 * outage longer than the connector's flush retries fails it "until manually restarted"). The watchdog
 * polls the connectors' status and restarts the failed ones with backoff, logging one line when an
 * outage starts (with the task's own reason), one when it is over, and one when Connect itself stops
 * or starts answering: never one line per poll.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Logger } from 'pino';
import { describeError } from '../common/errors.ts';
import { FailureStreak, rootCause } from '../common/retry.ts';
import { ConnectClient, hasFailed, type ConnectorStatus } from '../common/connect-client.ts';

export interface WatchOptions {
  connectUrl: string;
  /** The connectors to watch (a missing one is reported once, not restarted). */
  names: string[];
  log: Logger;
  /** Time between status polls while all is well (ms). */
  pollMs?: number;
  signal?: AbortSignal;
  /** Called after every poll with the restarts made so far (tests and `run` read it). */
  onPoll?: (state: WatchState) => void;
}

export interface WatchState {
  restarts: number;
  /** Connectors now in an outage (FAILED, restarted, not yet RUNNING again). */
  failing: string[];
  connectReachable: boolean;
}

/** The first line of a task's or connector's trace: the exception and its message. */
export function failureReason(status: ConnectorStatus): string {
  const traces = [status.connector.trace, ...status.tasks.map((t) => t.trace)].filter(
    (t): t is string => typeof t === 'string' && t.length > 0,
  );
  // The innermost "Caused by:" names the real cause (e.g. the refused database connection).
  const lines = (traces[0] ?? '').split('\n');
  const causes = lines.filter((l) => l.startsWith('Caused by:'));
  return (causes.at(-1) ?? lines[0] ?? 'no trace').trim().slice(0, 300);
}

/**
 * The database's own answer for a JDBC sink: the connector's trace often hides it (Hibernate reports
 * "Unable to determine Dialect without JDBC metadata" when it cannot connect at all). Connects with
 * the connector's URL and credentials and returns PostgreSQL's refusal, or undefined when it answers
 * (or the connector is not a PostgreSQL sink).
 */
export async function databaseRefusal(config: Record<string, string> | null): Promise<string | undefined> {
  const jdbc = config?.['connection.url'];
  if (!jdbc?.startsWith('jdbc:postgresql://')) return undefined;
  const url = new URL(jdbc.slice('jdbc:'.length));
  const where = `PostgreSQL at ${url.host}${url.pathname}`;
  const db = new pg.Client({
    host: url.hostname,
    port: Number(url.port || 5432),
    database: decodeURIComponent(url.pathname.slice(1)),
    user: config?.['connection.username'] || undefined,
    password: config?.['connection.password'] || undefined,
    connectionTimeoutMillis: 3000,
  });
  try {
    await db.connect();
    return undefined;
  } catch (error) {
    return `${where}: ${describeError(error)}`;
  } finally {
    await db.end().catch(() => undefined);
  }
}

/** Watch until `signal` aborts. Never throws for an outage: that is what it is for. */
export async function watchSinks(o: WatchOptions): Promise<WatchState> {
  const client = new ConnectClient(o.connectUrl);
  const pollMs = o.pollMs ?? 5000;
  const streaks = new Map<string, FailureStreak>();
  const outageSince = new Map<string, number>();
  const nextRestartAt = new Map<string, number>();
  const missing = new Set<string>();
  const state: WatchState = { restarts: 0, failing: [], connectReachable: true };
  let connectDownSince: number | undefined;
  while (!o.signal?.aborted) {
    try {
      for (const name of o.names) {
        const status = await client.status(name);
        if (status === null) {
          if (!missing.has(name)) o.log.warn({ connector: name }, `connector ${name} is not deployed`);
          missing.add(name);
          continue;
        }
        missing.delete(name);
        if (hasFailed(status)) {
          const now = Date.now();
          if (!outageSince.has(name)) {
            outageSince.set(name, now);
            const database = await databaseRefusal(await client.config(name)).catch(() => undefined);
            o.log.warn(
              { connector: name, reason: failureReason(status), ...(database ? { database } : {}) },
              `connector ${name} FAILED${database ? ` (${database})` : ''}: restarting it with backoff until it runs again`,
            );
          }
          if (now >= (nextRestartAt.get(name) ?? 0)) {
            const streak = streaks.get(name) ?? new FailureStreak({ initialMs: 2000, maxMs: 60_000 });
            streaks.set(name, streak);
            await client.restartFailed(name);
            state.restarts++;
            nextRestartAt.set(name, now + streak.fail());
          }
        } else if (outageSince.has(name) && status.tasks.every((t) => t.state === 'RUNNING')) {
          const seconds = ((Date.now() - outageSince.get(name)!) / 1000).toFixed(0);
          o.log.info(
            { connector: name, restarts: streaks.get(name)?.count ?? 0 },
            `connector ${name} RUNNING again after ${seconds} s`,
          );
          outageSince.delete(name);
          streaks.delete(name);
          nextRestartAt.delete(name);
        }
      }
      if (connectDownSince !== undefined) {
        o.log.info(
          `Kafka Connect at ${o.connectUrl} answers again after ${((Date.now() - connectDownSince) / 1000).toFixed(0)} s`,
        );
        connectDownSince = undefined;
      }
      state.connectReachable = true;
    } catch (error) {
      if (connectDownSince === undefined) {
        connectDownSince = Date.now();
        o.log.warn(`Kafka Connect at ${o.connectUrl} does not answer (${rootCause(error)}): waiting for it`);
      }
      state.connectReachable = false;
    }
    state.failing = [...outageSince.keys()];
    o.onPoll?.({ ...state, failing: [...state.failing] });
    await sleep(outageSince.size > 0 ? Math.min(pollMs, 2000) : pollMs, undefined, {
      signal: o.signal,
    }).catch(() => undefined);
  }
  return state;
}
