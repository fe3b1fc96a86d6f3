/**
 * The dashboard's SQL tab API on the real Flink SQL Gateway, on a prefix of its own: a bounded
 * SELECT over a topic holding a few orders returns their rows, a bad statement is a 400 with
 * Flink's message, line and column, a write is refused before Flink sees it, the row limit stops
 * the query and its job, and Cancel stops a running query's Flink job.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard } from '../../../dashboard/server.ts';
import type { QueryView } from '../../../dashboard/sql/queries.ts';
import { WarehouseReader } from '../../../dashboard/warehouse-reader.ts';
import { conn, deleteTopics, log, uniquePrefix } from '../helpers.ts';
import { sampleOrders } from '../processors/pipeline.ts';
import { databaseUrl } from './seeded-warehouse.ts';
import { flinkRest, flinkSql, jobState, paidOrdersOnFlink } from './sql-fixture.ts';

type App = Awaited<ReturnType<typeof buildDashboard>>;

describe('dashboard SQL tab', () => {
  const prefix = uniquePrefix('dsql');
  const db = new WarehouseReader(databaseUrl, 'public');
  const orders = sampleOrders(5, 11);
  let app: App;

  const post = async <T>(url: string, payload: unknown) => {
    const r = await app.inject({ method: 'POST', url, payload: payload as object });
    return { status: r.statusCode, body: r.json<T & { message: string; error: string }>() };
  };
  const get = async <T>(url: string) => {
    const r = await app.inject({ method: 'GET', url });
    return { status: r.statusCode, body: r.json<T>() };
  };
  /** Poll a query until `done` holds of it (or 150 s: a loaded machine starts Flink jobs slowly). */
  const until = async (id: string, done: (q: QueryView) => boolean): Promise<QueryView> => {
    const deadline = Date.now() + 150_000;
    for (;;) {
      const { body } = await get<QueryView>(`/api/sql/queries/${id}`);
      if (done(body) || Date.now() > deadline) return body;
      await sleep(300);
    }
  };

  beforeAll(async () => {
    await paidOrdersOnFlink(prefix, orders);
    app = await buildDashboard({
      db,
      log,
      assetsDir: '/nonexistent',
      sql: {
        kafkaBootstrap: conn.kafkaBootstrap,
        registryUrl: conn.registryUrl,
        topicPrefix: prefix,
        flinkRestPort: flinkSql.flinkRestPort,
        flinkGatewayPort: flinkSql.flinkGatewayPort,
        maxRows: 3,
        // Long enough for a job's first rows on a busy two-core machine (one took over 40 s in CI).
        maxSeconds: 120,
        log,
      },
    });
  }, 240_000);

  afterAll(async () => {
    await app?.close();
    await db.close();
    await deleteTopics(prefix);
  });

  it('meta links to the Flink web UI and states the limits', async () => {
    const { status, body } = await get<{ flinkUrl: string; maxRows: number }>('/api/sql/meta');
    expect(status).toBe(200);
    expect(body.flinkUrl).toBe(`${flinkRest}/`);
    expect(body.maxRows).toBe(3);
  });

  it('a bounded SELECT returns the rows of the orders on the topic', async () => {
    const ids = orders.map((o) => `'${o.order_id}'`).slice(0, 2);
    const r = await post<QueryView>('/api/sql/queries', {
      statement: `SELECT order_id, order_total FROM paid_orders WHERE order_id IN (${ids.join(', ')})`,
    });
    expect(r.status, r.body.message).toBe(200);
    expect(r.body.columns.map((c) => c.name)).toEqual(['order_id', 'order_total']);
    // An unbounded source: the query keeps running until the time limit or Cancel; 2 rows match.
    const q = await until(r.body.id, (v) => v.total >= 2);
    expect(q.rows.map((x) => x.fields[0]).sort()).toEqual(
      orders
        .slice(0, 2)
        .map((o) => o.order_id)
        .sort(),
    );
    for (const row of q.rows) {
      const order = orders.find((o) => o.order_id === row.fields[0])!;
      expect(Number(row.fields[1])).toBe(Number(order.order_total));
    }
    expect(q.jobId).toMatch(/^[0-9a-f]{32}$/);
    expect(q.jobUrl).toBe(`${flinkRest}/#/job/running/${q.jobId}/overview`);
    const cancelled = await post<QueryView>(`/api/sql/queries/${q.id}/cancel`, {});
    expect(cancelled.body.state).toBe('cancelled');
    expect(await jobState(q.jobId!)).toBe('CANCELED');
  });

  it('the row limit stops the query and cancels its job', async () => {
    const r = await post<QueryView>('/api/sql/queries', { statement: 'SELECT order_id FROM paid_orders' });
    expect(r.status, r.body.message).toBe(200);
    const q = await until(r.body.id, (v) => v.state !== 'running');
    expect(q.state).toBe('row-limit');
    expect(q.total).toBe(3);
    expect(await jobState(q.jobId!)).toBe('CANCELED');
  });

  it('Cancel stops a running query and its Flink job', async () => {
    // No row matches: the job runs until cancelled.
    const r = await post<QueryView>('/api/sql/queries', {
      statement: "SELECT order_id FROM paid_orders WHERE order_id = 'none'",
    });
    expect(r.status, r.body.message).toBe(200);
    const running = await until(r.body.id, (v) => v.jobId !== null);
    expect(running.state).toBe('running');
    const deadline = Date.now() + 20_000;
    while ((await jobState(running.jobId!)) !== 'RUNNING' && Date.now() < deadline) await sleep(250);
    expect(await jobState(running.jobId!)).toBe('RUNNING');
    const started = Date.now();
    const cancelled = await post<QueryView>(`/api/sql/queries/${r.body.id}/cancel`, {});
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.state).toBe('cancelled');
    expect(await jobState(running.jobId!)).toBe('CANCELED');
    expect(Date.now() - started).toBeLessThan(16_000);
  });

  it("a bad statement is a 400 with Flink's message, line and column", async () => {
    const r = await post<{ line: number; column: number }>('/api/sql/queries', {
      statement: 'SELECT order_id\nFROM paid_orders\nWHERE order_total >>> 3',
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('ORDERFLOW_SQL_FAILED');
    expect(r.body.message).toMatch(/line 3, column/);
    expect(r.body.line).toBe(3);
    expect(r.body.column).toBeGreaterThan(0);
    const unknown = await post<{ line: number; column: number }>('/api/sql/queries', {
      statement: '\n  SELECT nope FROM paid_orders',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/Column 'nope' not found/);
    // Flink counts in the statement; the tab reports the position in the box (a blank first line).
    expect({ line: unknown.body.line, column: unknown.body.column }).toEqual({ line: 2, column: 10 });
  });

  it('a write or a script is refused before Flink sees it', async () => {
    const insert = await post('/api/sql/queries', {
      statement: 'INSERT INTO paid_orders SELECT * FROM paid_orders',
    });
    expect(insert.status).toBe(400);
    expect(insert.body.message).toMatch(/INSERT is not run from the dashboard/);
    const two = await post('/api/sql/queries', { statement: 'SELECT 1; SELECT 2' });
    expect(two.status).toBe(400);
    expect(two.body.message).toMatch(/2 statements/);
    const extra = await post('/api/sql/queries', { statement: 'SELECT 1', limit: 5 });
    expect(extra.status).toBe(400);
  });
});
