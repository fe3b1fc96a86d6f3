/**
 * The dashboard answers a path the static plugin refuses (a NUL byte: 403, a traversal: 404) with
 * that status and no error-level log line; before issue 19 it answered 500 with a stack trace per
 * request. SQL in a query parameter is refused as a usage error (400) without reaching PostgreSQL.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard } from '../../../dashboard/server.ts';
import { WarehouseReader } from '../../../dashboard/warehouse-reader.ts';
import { conn } from '../helpers.ts';

type App = Awaited<ReturnType<typeof buildDashboard>>;

describe('dashboard refusals', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'orderflow-assets-'));
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as never);
      done();
    },
  });
  let app: App;
  let db: WarehouseReader;

  beforeAll(async () => {
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
    db = new WarehouseReader(conn.databaseUrl, 'public');
    app = await buildDashboard({ db, log: pino({ level: 'info' }, sink), assetsDir: dir });
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes the static plugin refusal on as 403/404 without an error-level log', async () => {
    const answers: Record<string, number> = {};
    for (const url of ['/%00', '/a%00b', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '/.env']) {
      answers[url] = (await app.inject({ method: 'GET', url })).statusCode;
    }
    expect(answers).toEqual({
      '/%00': 403,
      '/a%00b': 403,
      '/%2e%2e/%2e%2e/etc/passwd': 404,
      '/..%2f..%2fetc%2fpasswd': 404,
      '/.env': 404,
    });
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
  });

  it('refuses SQL in a query parameter as a usage error', async () => {
    const r = await app.inject({
      method: 'GET',
      url: "/api/orders?range=all&province=x'%3B%20drop%20table%20orders%3B--",
    });
    expect([400, 404]).toContain(r.statusCode);
    const range = await app.inject({ method: 'GET', url: "/api/orders?range='%20or%201%3D1--" });
    expect(range.statusCode).toBe(400);
  });
});
