/**
 * `orderflow run` prints the dashboard's and the API's URLs only once they answer: a server that
 * starts listening late is waited for, one that never listens is named after the budget.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { untilListening } from '../../../cli/run-progress.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A free loopback port, released again (nothing listens on it until `listenLater`). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function listenLater(port: number, afterMs: number, status: number): void {
  void sleep(afterMs).then(() => {
    const server = createServer((_req, res) => res.writeHead(status).end());
    servers.push(server);
    server.listen(port, '127.0.0.1');
  });
}

describe('untilListening', () => {
  it('waits for a server that listens late, whatever status it answers', async () => {
    const [a, b] = [await freePort(), await freePort()];
    listenLater(a, 1500, 200);
    listenLater(b, 500, 503);
    const started = Date.now();
    const late = await untilListening(
      { dashboard: `http://127.0.0.1:${a}/`, api: `http://127.0.0.1:${b}/health` },
      20_000,
    );
    expect(late).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
  });

  it('names the servers that do not answer within the budget', async () => {
    const [a, b] = [await freePort(), await freePort()];
    listenLater(b, 0, 200);
    const late = await untilListening(
      { dashboard: `http://127.0.0.1:${a}/`, api: `http://127.0.0.1:${b}/` },
      2000,
    );
    expect(late).toEqual(['dashboard']);
  });
});
