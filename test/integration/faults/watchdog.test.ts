/**
 * The connector watchdog (`orderflow connect watch`) on a real FAILED task: a JDBC sink whose
 * database does not exist yet fails at start, and Connect never restarts it by itself. The watchdog
 * restarts it with backoff, logs the outage once (with the task's own reason, not one line per
 * poll), and once the database exists the task runs and the watchdog logs that the outage is over.
 */
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ConnectClient, isRunning } from '../../../common/connect-client.ts';
import { pipelineNames } from '../../../common/names.ts';
import { watchSinks, type WatchState } from '../../../connect/watchdog.ts';
import { conn, createTopics, deleteTopics, uniquePrefix } from '../helpers.ts';

const prefix = uniquePrefix('wdog');
const names = pipelineNames(prefix);
const connector = names.sinkConnector('orders');
const database = `${prefix}db`.toLowerCase();
const connect = new ConnectClient(conn.connectUrl);

async function admin<T>(fn: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: conn.databaseUrl });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

afterAll(async () => {
  await connect.delete(connector).catch(() => undefined);
  await admin((db) => db.query(`drop database if exists "${database}"`)).catch(() => undefined);
  await deleteTopics(prefix);
});

describe('connector watchdog', () => {
  it('restarts a FAILED sink task with backoff until it runs, logging the outage once', async () => {
    await createTopics(prefix, 1);
    const url = new URL(conn.databaseUrl);
    await connect.put({
      name: connector,
      config: {
        'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
        'tasks.max': '1',
        topics: names.topic('orders'),
        'connection.url': `jdbc:postgresql://${url.hostname}:${url.port}/${database}`,
        'connection.username': decodeURIComponent(url.username),
        'connection.password': decodeURIComponent(url.password),
        'insert.mode': 'upsert',
        'primary.key.mode': 'record_key',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      },
    });

    const lines: { level: number; msg: string; reason?: string; database?: string }[] = [];
    const log = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
          done();
        },
      }),
    );
    const stop = new AbortController();
    let state: WatchState = { restarts: 0, failing: [], connectReachable: true };
    const watching = watchSinks({
      connectUrl: conn.connectUrl,
      names: [connector],
      log,
      pollMs: 1000,
      signal: stop.signal,
      onPoll: (s) => (state = s),
    });
    try {
      // The task fails (no such database) and is restarted more than once, with backoff.
      const deadline = Date.now() + 120_000;
      while (state.restarts < 3 && Date.now() < deadline) await sleep(500);
      expect(state.restarts).toBeGreaterThanOrEqual(3);
      expect(state.failing).toEqual([connector]);
      const outage = lines.filter((l) => l.msg.includes('restarting it with backoff'));
      expect(outage).toHaveLength(1); // one line for the outage, not one per restart
      // Connect's trace only says Hibernate could not read the JDBC metadata; the watchdog asks the
      // database itself and names the real cause.
      expect(outage[0]!.database).toMatch(new RegExp(`database "${database}" does not exist`));
      expect(outage[0]!.msg).toContain(`database "${database}" does not exist`);

      // The cause goes away: the next restart runs, and the watchdog says the outage is over.
      await admin((db) => db.query(`create database "${database}"`));
      const runningBy = Date.now() + 150_000;
      while (Date.now() < runningBy && !lines.some((l) => l.msg.includes('RUNNING again'))) await sleep(500);
      expect(lines.some((l) => l.msg.includes(`connector ${connector} RUNNING again`))).toBe(true);
      expect(isRunning(await connect.status(connector))).toBe(true);
      expect(state.failing).toEqual([]);
    } finally {
      stop.abort();
      await watching;
    }
  }, 300_000);
});
