/**
 * CDC lag of the running shop (a change in the shop database to its row in the warehouse), measured
 * from outside the pipeline: every `--every` ms for `--minutes` minutes, read the warehouse's landed
 * shop rows (`shop_stock`, `shop_products`: the shop's `updated_at` of the change and the
 * warehouse's `landed_at`, migration 011) that landed since the last read, keep each change once
 * (table, key, updated_at), and print p50 / p95 / max of landed_at - updated_at, overall and per
 * table. Run it against a live `orderflow run` once its backfill has landed:
 *
 *   npx tsx bench/cdc-lag.ts --minutes 5
 *
 * The shop's updated_at is its transaction's start (`now()`), so a change's lag includes the rest
 * of the stock service's transaction as well as Debezium, Kafka and the JDBC sink. Reads
 * ORDERFLOW_DATABASE_URL (the warehouse) like every other command.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadSettings } from '../common/config.ts';
import { connectionSettings } from '../common/settings.ts';
import { percentile } from '../dashboard/live/cdc-lag.ts';

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '5' }, every: { type: 'string', default: '1000' } },
});
const minutes = Number(values.minutes);
const every = Number(values.every);
if (!(minutes > 0) || !(every >= 100)) throw new Error('--minutes must be > 0 and --every >= 100 (ms)');

const db = new pg.Client({ connectionString: loadSettings(connectionSettings).databaseUrl });
await db.connect();
const seen = new Map<string, { table: string; lagMs: number }>();
let since = (await db.query<{ now: Date }>('select clock_timestamp() as now')).rows[0]!.now;
const started = Date.now();
while (Date.now() - started < minutes * 60_000) {
  await new Promise((r) => setTimeout(r, every));
  const { rows } = await db.query<{ t: string; k: string; changed: string; lag_ms: string; landed: Date }>(
    `select 'shop_stock' as t, sku || '@' || location_id as k, updated_at::text as changed,
            extract(epoch from landed_at - updated_at) * 1000 as lag_ms, landed_at as landed
       from shop_stock where landed_at > $1
     union all
     select 'shop_products', sku::text, updated_at::text, extract(epoch from landed_at - updated_at) * 1000, landed_at
       from shop_products where landed_at > $1`,
    [since],
  );
  for (const r of rows) {
    seen.set(`${r.t}|${r.k}|${r.changed}`, { table: r.t, lagMs: Math.max(0, Number(r.lag_ms)) });
    if (r.landed > since) since = r.landed;
  }
}
await db.end();

const line = (label: string, lags: number[]) => {
  const s = [...lags].sort((a, b) => a - b);
  const f = (v: number | null) => (v === null ? '-' : `${Math.round(v)} ms`);
  return `${label.padEnd(14)} ${String(s.length).padStart(7)} changes   p50 ${f(percentile(s, 0.5))}   p95 ${f(percentile(s, 0.95))}   max ${f(s.at(-1) ?? null)}`;
};
const all = [...seen.values()];
console.log(`CDC lag over ${minutes} min (sampled every ${every} ms), landed_at - updated_at:`);
console.log(
  line(
    'all',
    all.map((c) => c.lagMs),
  ),
);
for (const table of [...new Set(all.map((c) => c.table))].sort())
  console.log(
    line(
      table,
      all.filter((c) => c.table === table).map((c) => c.lagMs),
    ),
  );
