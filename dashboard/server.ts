import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { describeError, isOrderflowError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import type { KafkaViewsOptions } from './kafka/context.ts';
import { registerKafkaViews } from './kafka/routes.ts';
import type { PipelineWatcher } from './live/pipeline.ts';
import { customersTab } from './queries/customers.ts';
import { NO_CARTS_MESSAGE, funnelTab, hasCarts } from './queries/funnel.ts';
import type { SqlOptions } from './sql/queries.ts';
import { registerSql } from './sql/routes.ts';
import { itemsTab } from './queries/items.ts';
import { locationTab } from './queries/location.ts';
import { ordersTab } from './queries/orders.ts';
import { paymentDeliveryTab } from './queries/payment-delivery.ts';
import { revenueTab } from './queries/revenue.ts';
import { NO_STOCK_MESSAGE, hasStock, stockTab } from './queries/stock.ts';
import { storesTab } from './queries/stores.ts';
import { supportTab } from './queries/support.ts';
import {
  RANGE_LABELS,
  RANGE_NAMES,
  parseProvince,
  parseRangeName,
  rangeWindow,
  type RangeWindow,
} from './range.ts';
import { NO_DATA_MESSAGE, dataSpan, isMissingWarehouse, type DataSpan, type Db } from './warehouse-reader.ts';

/** Where `npm run build:web` writes the front end. */
export const DEFAULT_ASSETS_DIR = fileURLToPath(new URL('./web/dist/', import.meta.url));

export const ASSETS_MISSING_MESSAGE =
  'The dashboard front end has not been built: run `npm run build:web` (writes dashboard/web/dist), then reload. The JSON API under /api/ works without it.';

export interface DashboardOptions {
  db: Db;
  /** The live pipeline view; without it /api/live answers 503. */
  watcher?: PipelineWatcher;
  /** The Kafka views under /api/kafka/ (topics, messages, groups, dead letters...); off without it. */
  kafka?: KafkaViewsOptions & { splitGroups?: string[] };
  /** The SQL tab's API under /api/sql/ (Flink SQL through the SQL Gateway); off without it. */
  sql?: SqlOptions;
  assetsDir?: string;
  log: Logger;
}

interface TabQuery {
  range?: string;
  province?: string;
}

type TabHandler = (db: Db, span: DataSpan, range: RangeWindow, province: string | null) => Promise<object>;

/** The analysis tabs (six of the reference, then support, stock, the storefront funnel and the stores): name in the URL, whether a province filter applies, and the query. */
export const TABS: Record<string, { title: string; province: boolean; run: TabHandler }> = {
  revenue: { title: 'Revenue & profit', province: true, run: revenueTab },
  orders: { title: 'Orders', province: true, run: ordersTab },
  customers: { title: 'Customers', province: true, run: (db, _s, r, p) => customersTab(db, r, p) },
  items: { title: 'Items', province: true, run: (db, _s, r, p) => itemsTab(db, r, p) },
  'payment-delivery': {
    title: 'Payment & delivery',
    province: true,
    run: (db, _s, r, p) => paymentDeliveryTab(db, r, p),
  },
  location: { title: 'Location', province: false, run: (db, _s, r) => locationTab(db, r) },
  support: { title: 'Support', province: false, run: (db, _s, r) => supportTab(db, r) },
  stock: {
    title: 'Stock',
    province: false,
    run: async (db, _s, r) =>
      (await hasStock(db)) ? stockTab(db, r) : { empty: true, message: NO_STOCK_MESSAGE },
  },
  funnel: {
    title: 'Funnel',
    province: false,
    run: async (db, _s, r) =>
      (await hasCarts(db)) ? funnelTab(db, r) : { empty: true, message: NO_CARTS_MESSAGE },
  },
  stores: { title: 'Stores', province: false, run: (db, _s, r) => storesTab(db, r) },
};

/**
 * The dashboard's HTTP server: one JSON endpoint per tab (/api/<tab>?range=&province=), /api/meta
 * for the filters, /api/live for the pipeline view, and the built front end at /.
 */
export async function buildDashboard(options: DashboardOptions) {
  const { db, log } = options;
  // Request lines are noise here; warnings and errors still go to the log.
  const app = Fastify({ loggerInstance: log.child({ component: 'http' }, { level: 'warn' }) });

  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    if (isOrderflowError(error)) {
      const status = error.code === 'ORDERFLOW_USAGE' ? 400 : error.retriable ? 503 : 500;
      return reply.code(status).send({ error: error.code, message: error.message });
    }
    const statusCode = (error as { statusCode?: unknown }).statusCode;
    // A refusal by a plugin (the static plugin's 403 for a dot-file or a path outside its root, 404,
    // 405...) is the client's error: pass its status on, without an error-level stack trace.
    if (typeof statusCode === 'number' && statusCode >= 401 && statusCode < 500) {
      return reply.code(statusCode).send({ error: 'REFUSED', message: describeError(error) });
    }
    const validation = statusCode === 400;
    if (!validation) log.error({ err: error, url: request.url }, 'dashboard request failed');
    return reply
      .code(validation ? 400 : 500)
      .send({ error: validation ? 'ORDERFLOW_USAGE' : 'INTERNAL', message: describeError(error) });
  });

  const empty = { empty: true, message: NO_DATA_MESSAGE };

  app.get('/api/meta', async () => {
    const span = await dataSpan(db);
    const ranges = RANGE_NAMES.map((name) => ({ name, label: RANGE_LABELS[name] }));
    const tabs = Object.entries(TABS).map(([name, t]) => ({ name, title: t.title, province: t.province }));
    if (!span) return { ...empty, ranges, tabs, provinces: [] };
    let provinces: { code: string; name: string }[] = [];
    try {
      provinces = await db.rows<{ code: string; name: string }>(
        `select o.provincial_code as code, coalesce(min(l.province_name), o.provincial_code) as name
           from (select distinct provincial_code from orders where provincial_code is not null) o
           left join dim_location l on l.provincial_code = o.provincial_code
          group by o.provincial_code
          order by 2`,
      );
    } catch (error) {
      if (!isMissingWarehouse(error)) throw error;
    }
    return { empty: false, ...span, ranges, tabs, provinces };
  });

  for (const [name, tab] of Object.entries(TABS)) {
    app.get<{ Querystring: TabQuery }>(`/api/${name}`, async (request) => {
      const rangeName = parseRangeName(request.query.range);
      const province = tab.province ? parseProvince(request.query.province) : null;
      const started = performance.now();
      const span = await dataSpan(db);
      if (!span) return { tab: name, ...empty };
      const range = rangeWindow(rangeName, span.asOf, span.firstDay);
      try {
        const data = await tab.run(db, span, range, province);
        const queryMs = Math.round((performance.now() - started) * 10) / 10;
        return { tab: name, empty: false, asOf: span.asOf, range, province, queryMs, ...data };
      } catch (error) {
        // A schema with landing tables but no metric views yet is "no data", not a failure.
        if (isMissingWarehouse(error)) return { tab: name, ...empty };
        throw error;
      }
    });
  }

  app.get('/api/live', async (_request, reply) => {
    if (!options.watcher)
      return reply.code(503).send({ error: 'ORDERFLOW_USAGE', message: 'the live view is off' });
    return options.watcher.snapshot();
  });

  if (options.kafka) {
    const views = await registerKafkaViews(app, options.kafka, db);
    app.addHook('onClose', () => views.close());
  }

  if (options.sql) {
    const sql = registerSql(app, options.sql);
    app.addHook('onClose', () => sql.close());
  }

  const assetsDir = options.assetsDir ?? DEFAULT_ASSETS_DIR;
  if (existsSync(`${assetsDir}/index.html`)) {
    await app.register(fastifyStatic, { root: assetsDir, index: 'index.html' });
  } else {
    log.warn({ assetsDir }, ASSETS_MISSING_MESSAGE);
    const notBuilt = async (_request: FastifyRequest, reply: FastifyReply) =>
      reply
        .code(503)
        .type('text/html; charset=utf-8')
        .send(
          `<!doctype html><meta charset="utf-8"><title>orderflow dashboard</title><h1>orderflow dashboard</h1><p>${ASSETS_MISSING_MESSAGE.replaceAll('`', '')}</p>`,
        );
    app.get('/', notBuilt);
    app.get('/index.html', notBuilt);
  }
  return app;
}
