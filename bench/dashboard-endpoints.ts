/**
 * Query time of every dashboard endpoint on a two-year dataset: a throw-away schema seeded with the
 * warehouse's sample landing rows (default 15,000 orders over 730 days, the generator's catalogue
 * and locations), then each endpoint x range (x province) requested in-process several times after
 * one warm-up; prints the median, min and max milliseconds as a Markdown table.
 * Usage: npx tsx bench/dashboard-endpoints.ts [orders] [runs]   (the schema is dropped afterwards)
 */
import { randomBytes } from 'node:crypto';
import { loadSettings } from '../common/config.ts';
import { createLogger } from '../common/logger.ts';
import { RANGE_NAMES } from '../dashboard/range.ts';
import { TABS, buildDashboard } from '../dashboard/server.ts';
import { dashboardSettings } from '../dashboard/settings.ts';
import { WarehouseReader } from '../dashboard/warehouse-reader.ts';
import { connectWarehouse } from '../common/database.ts';
import { migrate } from '../warehouse/migrate.ts';
import { readGeneratorReferenceData } from '../warehouse/reference-data.ts';
import { refreshWarehouse } from '../warehouse/refresh.ts';
import { loadSample } from '../warehouse/sample-load.ts';
import { twoYearSample } from './two-year-sample.ts';

const orders = Number(process.argv[2] ?? 15000);
const runs = Number(process.argv[3] ?? 5);
const { databaseUrl } = loadSettings(dashboardSettings);
const schema = `measure_dash_${randomBytes(3).toString('hex')}`;

async function main(): Promise<void> {
  await migrate(databaseUrl, schema);
  const client = await connectWarehouse(databaseUrl, schema);
  const db = new WarehouseReader(databaseUrl, schema);
  const app = await buildDashboard({ db, log: createLogger('measure', 'warn') });
  try {
    const reference = await readGeneratorReferenceData();
    const data = twoYearSample(orders, {
      ...(reference.products ? { products: reference.products } : {}),
      ...(reference.locations ? { locations: reference.locations } : {}),
    });
    await loadSample(client, data);
    await refreshWarehouse(client);
    await client.query('analyze');
    console.log(
      `${data.orders.length} orders, ${data.items.length} lines over 730 days; ${runs} runs after a warm-up\n`,
    );
    console.log('| endpoint | range | province | median ms | min | max |');
    console.log('|---|---|---|---:|---:|---:|');
    for (const [tab, spec] of Object.entries(TABS)) {
      const provinces = spec.province ? [null, 'PH-CEB'] : [null];
      for (const range of RANGE_NAMES) {
        for (const province of provinces) {
          const url = `/api/${tab}?range=${range}${province ? `&province=${province}` : ''}`;
          const times: number[] = [];
          for (let i = 0; i <= runs; i++) {
            const started = performance.now();
            const response = await app.inject({ method: 'GET', url });
            const ms = performance.now() - started;
            if (response.statusCode !== 200)
              throw new Error(`${url}: HTTP ${response.statusCode} ${response.body}`);
            if (i > 0) times.push(ms);
          }
          times.sort((a, b) => a - b);
          const f = (x: number) => x.toFixed(1);
          console.log(
            `| /api/${tab} | ${range} | ${province ?? 'all'} | ${f(times[Math.floor(times.length / 2)]!)} | ${f(times[0]!)} | ${f(times.at(-1)!)} |`,
          );
        }
      }
    }
  } finally {
    await app.close();
    await db.close();
    await client.query(`drop schema "${schema}" cascade`);
    await client.end();
  }
}

await main();
