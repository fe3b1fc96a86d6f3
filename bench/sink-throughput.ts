/**
 * Sink throughput on the local stack: rows per second the three JDBC sink connectors write into
 * PostgreSQL when their topics are already full (the splitter has finished), so the figure is the
 * sink's alone. Method: fill the split topics for N seeded orders through the splitter, stop it,
 * deploy the connectors, and time (a) from deploy to the last row and (b) from the first landed row
 * to the last (connector start-up excluded), polling the row counts every 200 ms.
 *
 *   npx tsx bench/sink-throughput.ts [orders=4000] [runs=3]
 */
import { deleteSinks, deploySinks } from '../connect/deploy.ts';
import { eventually, finalOrders, startLanding } from '../test/integration/landing/landing-fixture.ts';
import { conn } from '../test/integration/helpers.ts';
import { readTopics } from '../test/integration/processors/pipeline.ts';

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 4000);
  const runs = Number(process.argv[3] ?? 3);
  const orders = finalOrders(n, 5);
  const all = [...orders.finished, ...orders.failed];
  const lines = all.reduce((s, o) => s + o.item_info.length, 0);
  const customers = new Set(all.map((o) => o.customer_info.customer_id)).size;
  const rows = n + lines + customers;
  const results: { total: number; steady: number }[] = [];
  for (let run = 0; run < runs; run++) {
    const p = await startLanding('bench');
    try {
      // Fill the split topics with the connectors out of the way.
      await deleteSinks(conn.connectUrl, p.sinkValues);
      await p.query('truncate orders, customers, order_items');
      await p.send(orders);
      const counts = async () => {
        const r = await p.query<{ o: string; c: string; i: string }>(
          'select (select count(*) from orders)::text as o, (select count(*) from customers)::text as c, (select count(*) from order_items)::text as i',
        );
        return Number(r[0]!.o) + Number(r[0]!.c) + Number(r[0]!.i);
      };
      // Wait until the splitter has written every split record, then stop it.
      const split = ['orders', 'customers', 'order_items'].map((t) => p.prefix + t);
      await readTopics(
        split,
        (r) =>
          r.get(split[0]!)!.length >= n && r.get(split[1]!)!.length >= n && r.get(split[2]!)!.length >= lines,
        { timeoutMs: 600_000, settleMs: 500 },
      );
      await p.splitter?.stop();
      const t0 = Date.now();
      await deploySinks(conn.connectUrl, p.sinkValues, 120_000);
      let first = 0;
      const done = await eventually(
        async () => {
          const c = await counts();
          if (c > 0 && first === 0) first = Date.now();
          return c >= rows;
        },
        600_000,
        200,
      );
      const t1 = Date.now();
      if (!done) throw new Error(`only ${await counts()} of ${rows} rows landed`);
      results.push({ total: rows / ((t1 - t0) / 1000), steady: rows / ((t1 - first) / 1000) });
      console.log(
        `run ${run + 1}: ${rows} rows (${n} orders, ${customers} customers, ${lines} lines): deploy->last ${(t1 - t0) / 1000}s = ${Math.round(results.at(-1)!.total)} rows/s; first->last ${(t1 - first) / 1000}s = ${Math.round(results.at(-1)!.steady)} rows/s`,
      );
    } finally {
      await p.close();
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const steady = results.map((r) => r.steady);
  console.log(
    `median steady ${Math.round(med(steady))} rows/s (min ${Math.round(Math.min(...steady))}, max ${Math.round(Math.max(...steady))}); median incl. start-up ${Math.round(med(results.map((r) => r.total)))} rows/s`,
  );
  process.exit(0);
}

void main();
