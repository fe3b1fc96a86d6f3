import Fastify from 'fastify';
import type { Logger } from './logger.ts';
import { metricsText } from './metrics.ts';
import { OrderflowError } from './errors.ts';

export interface HealthServerOptions {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Bind address; 127.0.0.1 unless the service must be reachable from elsewhere. */
  host?: string;
  /** Readiness: e.g. partitions assigned and consuming. */
  ready: () => boolean;
  /** Extra detail for /ready and /health bodies. */
  details?: () => Record<string, unknown>;
  log: Logger;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * The small HTTP server every long-running service exposes:
 * - GET /health: liveness (200 while the process runs its loop);
 * - GET /ready: 200 when `ready()` is true, else 503;
 * - GET /metrics: Prometheus text from common/metrics.ts.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const app = Fastify({ logger: false });
  app.get('/health', async () => ({ status: 'ok', ...options.details?.() }));
  app.get('/ready', async (_request, reply) => {
    const ready = options.ready();
    return reply.code(ready ? 200 : 503).send({ ready, ...options.details?.() });
  });
  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await metricsText();
    return reply.header('content-type', contentType).send(body);
  });
  try {
    await app.listen({ port: options.port, host: options.host ?? '127.0.0.1' });
  } catch (error) {
    throw new OrderflowError(
      'ORDERFLOW_CONFIG_INVALID',
      `cannot listen on port ${options.port}: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  options.log.info({ port }, 'health, readiness and metrics server listening');
  return { port, close: () => app.close() };
}
