/**
 * The order API against the real stack, run as an operator runs it (`orderflow api` and the three
 * stages as child processes): an order placed over HTTP goes through payment, shipping and delivery
 * like a generated one; the same Idempotency-Key places it once, also across an API restart; bad
 * requests are refused naming the field.
 */
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { API_ORDER_ID, orderIdFor } from '../../../api/order-request.ts';
import { topicName } from '../../../schemas/topics.ts';
import { createTopics, deleteTopics, uniquePrefix } from '../helpers.ts';
import { deletePendingTopics, readTopics } from '../processors/pipeline.ts';
import { CATALOGUE } from '../../../reference/catalogue.ts';
import { PriceBook } from '../../../reference/price-schedule.ts';
import { fromCents } from '../../../common/money.ts';
import { spawnService, spawnStage, type ServiceRun } from '../services.ts';
import { exampleCustomer, exampleOrder } from '../../fixtures/order-requests.ts';

const prefix = uniquePrefix('api');
const running: ServiceRun[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const SEED = 7;
const book = new PriceBook(SEED);
/** What 2 x SKU 4 and 1 x SKU 17 cost at `t` (no discount on API orders). */
function totalAt(t: number): string {
  const cents = 2 * book.entryAt(CATALOGUE[3]!, t).priceCents + book.entryAt(CATALOGUE[16]!, t).priceCents;
  return fromCents(cents);
}

async function startApi(port: number): Promise<ServiceRun> {
  const api = spawnService(['api', '--topic-prefix', prefix, '--port', String(port), '--seed', String(SEED)]);
  running.push(api);
  await api.logged('order API listening');
  return api;
}

async function stop(service: ServiceRun): Promise<number | null> {
  service.child.kill('SIGTERM');
  return service.exit;
}

const order = exampleOrder([4, 2], [17, 1]);

interface Answer {
  status: number;
  headers: Headers;
  body: {
    order_id: string;
    state: string;
    final: boolean;
    order_status: string | null;
    failure: unknown;
    order: { order_total: string; order_date: string } | null;
    error?: { code: string; field?: string; message: string };
  };
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(90_000) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

const post = (base: string, key: string | undefined, body: string) =>
  call(`${base}/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }) },
    body,
  });

describe('order API', () => {
  afterAll(async () => {
    for (const s of running) if (s.child.exitCode === null) await stop(s);
    await deletePendingTopics(prefix);
    await deleteTopics(prefix);
  });

  it('places an order once per key, follows it to a final state, and keeps the key across a restart', async () => {
    await createTopics(prefix);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let api = await startApi(port);

    // Placed, then the same key again: the same order, nothing new written.
    const first = await post(base, 'order-key-1', JSON.stringify(order));
    expect(first.status).toBe(201);
    const id = first.body.order_id;
    expect(id).toMatch(API_ORDER_ID);
    expect(first.body).toMatchObject({ state: 'UNPAID', final: false, order_status: 'PROCESSING' });
    // 2 x SKU 4 + 1 x SKU 17 at the prices in force at the order date (the seed's schedule).
    expect(first.body.order!.order_total).toBe(totalAt(Date.parse(first.body.order!.order_date)));
    const again = await post(base, 'order-key-1', JSON.stringify(order));
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.order_id).toBe(id);
    expect(again.body.order!.order_total).toBe(first.body.order!.order_total);

    // Two requests with a new key at the same moment: one places it, the other gets it.
    const both = await Promise.all([1, 2].map(() => post(base, 'order-key-2', JSON.stringify(order))));
    expect(both.map((a) => a.status).sort()).toEqual([200, 201]);
    expect(both[0]!.body.order_id).toBe(both[1]!.body.order_id);
    const second = both[0]!.body.order_id;
    expect(second).not.toBe(id);

    // The same key with another order is a conflict, not a retry.
    const other = { ...order, item_info: [{ sku: 4, quantity: 3 }] };
    const conflict = await post(base, 'order-key-1', JSON.stringify(other));
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toMatchObject({
      code: 'ORDERFLOW_IDEMPOTENCY_CONFLICT',
      field: 'Idempotency-Key',
    });

    // No stage runs yet: a short wait ends with the state unchanged.
    const unchanged = await call(`${base}/v1/orders/${id}?wait=1`);
    expect(unchanged.body.state).toBe('UNPAID');

    // With the stages running, the order moves on to a final state, one long poll at a time.
    for (const stage of ['payment', 'shipping', 'delivery'])
      running.push(spawnStage(stage, prefix, `${stage}-api`));
    const states = ['UNPAID'];
    let last = unchanged;
    for (let poll = 0; poll < 20 && !last.body.final; poll++) {
      last = await call(`${base}/v1/orders/${id}?wait=30`);
      expect(last.status).toBe(200);
      if (last.body.state !== states[states.length - 1]) states.push(last.body.state);
    }
    expect(last.body.final).toBe(true);
    const path = ['UNPAID', 'PAID', 'SHIPPED'];
    const final = states[states.length - 1]!;
    // Every state seen before the final one is a step of the life cycle, in its order (a long poll
    // may skip one).
    const steps = states.slice(0, -1).map((s) => path.indexOf(s));
    expect(
      steps.every((v, i) => v >= 0 && (i === 0 || v > steps[i - 1]!)),
      states.join(' -> '),
    ).toBe(true);
    expect(['FINISHED', 'FAILED']).toContain(final);
    if (final === 'FINISHED') expect(last.body).toMatchObject({ order_status: 'DELIVERED', failure: null });
    else expect(last.body.failure).not.toBeNull();
    // A final state answers at once, whatever the wait.
    expect((await call(`${base}/v1/orders/${id}?wait=60`)).body.state).toBe(final);

    // A new API process (its view read back from the topics) knows the key.
    expect(await stop(api)).toBe(0);
    api = await startApi(port);
    const afterRestart = await post(base, 'order-key-1', JSON.stringify(order));
    expect(afterRestart.status).toBe(200);
    expect(afterRestart.body).toMatchObject({ order_id: id, state: final });

    // unpaid_orders holds each placed order exactly once.
    const unpaid = topicName('unpaid', prefix);
    const records = await readTopics([unpaid], (r) => r.get(unpaid)!.length >= 2);
    expect(
      records
        .get(unpaid)!
        .map((r) => r.key)
        .sort(),
    ).toEqual([id, second].sort());
  });

  it('refuses bad requests with 400 naming the field, and unknown ids with 404', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    await startApi(port);
    const refused: [string | undefined, string, string][] = [
      ['k-json', '{"customer_info": ', '(body)'],
      ['k-sku', JSON.stringify({ ...order, item_info: [{ sku: 999, quantity: 1 }] }), 'item_info[0].sku'],
      ['k-zero', JSON.stringify({ ...order, item_info: [{ sku: 4, quantity: 0 }] }), 'item_info[0].quantity'],
      ['k-neg', JSON.stringify({ ...order, item_info: [{ sku: 4, quantity: -2 }] }), 'item_info[0].quantity'],
      [
        'k-email',
        JSON.stringify({ ...order, customer_info: { ...exampleCustomer, email: undefined } }),
        'customer_info.email',
      ],
      [undefined, JSON.stringify(order), 'Idempotency-Key'],
    ];
    for (const [key, body, field] of refused) {
      const a = await post(base, key, body);
      expect(a.status, field).toBe(400);
      expect(a.body.error, field).toMatchObject({ code: 'ORDERFLOW_REQUEST_INVALID', field });
      expect(a.body.error!.message.startsWith(field), a.body.error!.message).toBe(true);
    }
    const placed = await post(base, 'k-ok', JSON.stringify(order));
    const badWait = await call(`${base}/v1/orders/${placed.body.order_id}?wait=600`);
    expect(badWait.status).toBe(400);
    expect(badWait.body.error).toMatchObject({ code: 'ORDERFLOW_REQUEST_INVALID', field: 'wait' });
    const unknown = await call(`${base}/v1/orders/API-00000000000000000000000000`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error!.code).toBe('ORDERFLOW_ORDER_NOT_FOUND');

    // None of the refused requests wrote anything; k-ok's order is there once.
    const unpaid = topicName('unpaid', prefix);
    const refusedIds = refused.flatMap(([key]) => (key === undefined ? [] : [orderIdFor(prefix, key)]));
    const records = await readTopics([unpaid], (r) =>
      r.get(unpaid)!.some((m) => m.key === placed.body.order_id),
    );
    const keys = records.get(unpaid)!.map((r) => r.key);
    expect(keys.filter((k) => k === placed.body.order_id)).toHaveLength(1);
    expect(keys.filter((k) => refusedIds.includes(k))).toEqual([]);
  });
});
