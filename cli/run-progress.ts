/**
 * What `orderflow run` prints once its services are started: where to look (after the dashboard and
 * the order API answer), then the progress of the landing and of the support reports.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { RunPlan } from './run.ts';

const say = (line: string) => console.log(line);

/**
 * Wait until each URL answers HTTP (any status: the server listens), at most `budgetMs` in all; the
 * names of those that did not answer in time. A service that starts slowly on a busy machine is
 * then printed as "not answering yet" with its log, never as a URL that refuses the connection.
 */
export async function untilListening(
  urls: Record<string, string>,
  budgetMs: number,
  stopped: () => boolean = () => false,
): Promise<string[]> {
  const deadline = Date.now() + budgetMs;
  const waiting = new Set(Object.keys(urls));
  while (waiting.size > 0 && Date.now() < deadline && !stopped()) {
    for (const name of [...waiting]) {
      const answered = await fetch(urls[name]!, { signal: AbortSignal.timeout(2000) }).then(
        (r) => (void r.body?.cancel(), true),
        () => false,
      );
      if (answered) waiting.delete(name);
    }
    if (waiting.size > 0) await sleep(500);
  }
  return [...waiting];
}

export function printWhereToLook(
  conn: { databaseUrl: string; kafkaBootstrap: string; registryUrl: string; connectUrl: string },
  { dashboardPort, apiPort, dashboardWrites, flink, splitter }: RunPlan,
  logs: string,
  notAnswering: string[] = [],
): void {
  const late = (name: string) =>
    notAnswering.includes(name) ? `   (not answering yet: see ${logs}/${name}.log)` : '';
  say('');
  say('== orderflow is running');
  say(
    `   dashboard   http://127.0.0.1:${dashboardPort}/` +
      (dashboardWrites
        ? '   (Kafka views may replay dead letters: --no-dashboard-writes to stop that)'
        : '   (read-only)') +
      late('dashboard'),
  );
  say(
    `   order API   http://127.0.0.1:${apiPort}/v1/orders   (POST an order with an Idempotency-Key header, GET /v1/orders/<id>?wait=30: README "Placing orders")${late('api')}`,
  );
  say(`   PostgreSQL  psql ${conn.databaseUrl}`);
  if (splitter === 'flink')
    say(`   split       the Flink SQL job flink/split.sql (the TypeScript splitter is not running)`);
  if (flink)
    say(
      '   Flink SQL   npx orderflow sql -e "SELECT order_id, order_total FROM paid_orders"   (web UI: npx orderflow stack status)',
    );
  say(`   Kafka       ${conn.kafkaBootstrap}   registry ${conn.registryUrl}   Connect ${conn.connectUrl}`);
  say(
    `   logs        ${logs}/{payment,shipping,delivery,storefront,${splitter === 'typescript' ? 'splitter' : 'flink-tm'},support,support-loader,stock,dashboard,api,generator}.log`,
  );
  say('   Ctrl-C stops the services; `npx orderflow reconcile` compares Kafka with PostgreSQL');
  say('');
}

/** Print how many orders and cart events have landed in PostgreSQL every few seconds. */
export async function watchLanding(
  databaseUrl: string,
  stopped: () => boolean,
  untilQuiet: boolean,
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let previous = '';
  let quiet = 0;
  try {
    while (!stopped()) {
      // The storefront's cart events land beside the orders: quiet means both stopped growing.
      const { rows } = await client.query<{ n: string; carts: string }>(
        'select (select count(*) from orders)::text as n, (select count(*) from cart_events)::text as carts',
      );
      const n = Number(rows[0]!.n);
      const now = `${n} orders and ${rows[0]!.carts} cart events in PostgreSQL`;
      if (now !== previous) say(`   ${new Date().toISOString()}  ${now}`);
      quiet = now === previous ? quiet + 1 : 0;
      if (untilQuiet && n > 0 && quiet >= 6) return;
      previous = now;
      await sleep(5000);
    }
  } finally {
    await client.end();
  }
}

/**
 * After a backfill without live orders: wait until the support desk has uploaded every report the
 * history allows and the loader has loaded the last one (both quiet for 15 s), printing progress.
 */
export async function watchSupport(databaseUrl: string, stopped: () => boolean): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let previous = '';
  let quiet = 0;
  try {
    while (!stopped() && quiet < 5) {
      const { rows } = await client
        .query<{ uploaded: string | null; loaded: string | null; n: string }>(
          `select (select to_char(max(day), 'YYYY-MM-DD') from support_desk.reports) as uploaded,
                (select to_char(max(report_day), 'YYYY-MM-DD') from support_report_load) as loaded,
                (select count(*)::text from dim_support_ticket) as n`,
        )
        .catch(() => ({ rows: [{ uploaded: null, loaded: null, n: '0' }] }));
      const r = rows[0]!;
      const line = `support reports uploaded up to ${r.uploaded ?? '-'}, loaded up to ${r.loaded ?? '-'}, ${r.n} tickets in the warehouse`;
      if (line !== previous) say(`   ${new Date().toISOString()}  ${line}`);
      quiet = line === previous && r.uploaded !== null && r.uploaded === r.loaded ? quiet + 1 : 0;
      previous = line;
      await sleep(3000);
    }
  } finally {
    await client.end();
  }
}

/**
 * Until the stock service has applied every order's end (a --no-live run: every backfilled order
 * ends): the shop database's settled orders against the orders landed in the warehouse. The stock
 * service applies records in event-time order and is the slowest reader on a busy machine, so
 * stopping with the landing would leave the stock tab with part of the history.
 */
export async function watchStock(
  databaseUrl: string,
  shopDatabaseUrl: string,
  stopped: () => boolean,
): Promise<void> {
  const warehouse = new pg.Client({ connectionString: databaseUrl });
  const shop = new pg.Client({ connectionString: shopDatabaseUrl });
  await warehouse.connect();
  await shop.connect();
  let previous = '';
  try {
    while (!stopped()) {
      const landed = await warehouse
        .query<{ n: string }>('select count(*)::text as n from orders')
        .then((r) => Number(r.rows[0]!.n))
        .catch(() => 0);
      const { rows } = await shop
        .query<{ settled: string; clock: string | null }>(
          `select (select count(*)::text from shop.stock_orders where ended is not null) as settled,
                  (select to_char(event_time, 'YYYY-MM-DD') from shop.stock_clock) as clock`,
        )
        .catch(() => ({ rows: [{ settled: '0', clock: null }] }));
      const settled = Number(rows[0]!.settled);
      const line = `stock: ${settled} of ${landed} orders settled, event-time clock ${rows[0]!.clock ?? '-'}`;
      if (line !== previous) say(`   ${new Date().toISOString()}  ${line}`);
      previous = line;
      if (landed > 0 && settled >= landed) return;
      await sleep(3000);
    }
  } finally {
    await warehouse.end();
    await shop.end();
  }
}
