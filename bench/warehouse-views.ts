/**
 * Measure every warehouse view on a realistic volume: a fresh schema, seeded sample data (default
 * 15,000 orders over two years), then each view read in full several times; prints the median, min
 * and max milliseconds. Usage: npx tsx bench/warehouse-views.ts [orders] [runs]
 * (ORDERFLOW_DATABASE_URL picks the server; the schema is dropped afterwards.)
 */
import { loadSettings } from '../common/config.ts';
import { connectWarehouse } from '../common/database.ts';
import { migrate } from '../warehouse/migrate.ts';
import { refreshWarehouse } from '../warehouse/refresh.ts';
import { loadSample } from '../warehouse/sample-load.ts';
import { warehouseSettings } from '../warehouse/settings.ts';
import { twoYearSample } from './two-year-sample.ts';

const orders = Number(process.argv[2] ?? 15000);
const runs = Number(process.argv[3] ?? 5);
const { databaseUrl } = loadSettings(warehouseSettings);
const schema = `measure_${process.pid}`;

async function main(): Promise<void> {
  await migrate(databaseUrl, schema);
  const client = await connectWarehouse(databaseUrl, schema);
  try {
    const data = twoYearSample(orders);
    let t = performance.now();
    await loadSample(client, data);
    console.log(
      `loaded ${data.orders.length} orders, ${data.items.length} lines, ${data.customers.length} customer rows in ${Math.round(performance.now() - t)} ms`,
    );
    t = performance.now();
    const r = await refreshWarehouse(client);
    console.log(`refresh: ${r.ms} ms (materialized: ${r.materializedViews.join(', ') || 'none'})`);
    await client.query('analyze');
    const { rows } = await client.query<{ name: string; kind: string }>(
      `select c.relname as name, case c.relkind when 'm' then 'materialized' else 'view' end as kind
         from pg_class c where c.relnamespace = current_schema()::regnamespace and c.relkind in ('v', 'm')
        order by c.relname`,
    );
    console.log('| view | kind | rows | median ms (client) | min | max | median ms (server) |');
    console.log('|---|---|---:|---:|---:|---:|---:|');
    for (const v of rows) {
      const times: number[] = [];
      let count = 0;
      for (let i = 0; i < runs + 1; i++) {
        const s = performance.now();
        const res = await client.query(`select * from "${v.name}"`);
        const ms = performance.now() - s;
        count = res.rowCount ?? 0;
        if (i > 0) times.push(ms); // the first run warms the cache
      }
      times.sort((a, b) => a - b);
      // Server-side execution time alone (no transfer to the client), from EXPLAIN ANALYZE.
      const server: number[] = [];
      for (let i = 0; i < runs; i++) {
        const plan = await client.query<{ 'QUERY PLAN': [{ 'Execution Time': number }] }>(
          `explain (analyze, timing off, format json) select * from "${v.name}"`,
        );
        server.push(plan.rows[0]!['QUERY PLAN'][0]['Execution Time']);
      }
      server.sort((a, b) => a - b);
      const fmt = (x: number) => x.toFixed(1);
      console.log(
        `| ${v.name} | ${v.kind} | ${count} | ${fmt(times[Math.floor(times.length / 2)]!)} | ${fmt(times[0]!)} | ${fmt(times.at(-1)!)} | ${fmt(server[Math.floor(server.length / 2)]!)} |`,
      );
    }
  } finally {
    await client.query(`drop schema "${schema}" cascade`);
    await client.end();
  }
}

await main();
