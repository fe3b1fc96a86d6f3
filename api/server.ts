/**
 * The order API's HTTP routes (fastify):
 *   POST /v1/orders            place an order (JSON body, Idempotency-Key header): 201, or 200 for a
 *                              key seen before (header Idempotent-Replayed: true), 400 naming the field,
 *                              409 for a key reused with another order, 503 when Kafka did not take it
 *   GET  /v1/orders/:id        its state; ?wait=N (0-60) holds the answer until the state differs from
 *                              the state at the request's arrival, or N seconds pass: 200, 404, 400
 *   GET  /health               200 once the view has caught up, with the count of orders it knows
 * Errors answer { error: { code, message, field?, issues? } }.
 */
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { describeError, isOrderflowError, type ErrorCode } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { invalidRequest, type OrderDesk } from './order-desk.ts';
import { parseWait } from './order-state.ts';
import type { OrderView } from './order-view.ts';

const STATUS: Partial<Record<ErrorCode, number>> = {
  ORDERFLOW_REQUEST_INVALID: 400,
  ORDERFLOW_ORDER_NOT_FOUND: 404,
  ORDERFLOW_IDEMPOTENCY_CONFLICT: 409,
};

/** Largest request body: an order of MAX_LINES lines is well under 8 KB. */
const BODY_LIMIT = 64 * 1024;

export function buildApi(o: { desk: OrderDesk; view: OrderView; log: Logger }) {
  // Request lines are noise here; warnings and errors still go to the log.
  const app = Fastify({
    loggerInstance: o.log.child({ component: 'http' }, { level: 'warn' }),
    bodyLimit: BODY_LIMIT,
  });

  // Any content type is read as text and parsed here, so that a client that forgot
  // `Content-Type: application/json` (curl -d sends a form type) still gets its order checked, and
  // bad JSON is answered as a field error like the others.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    if (isOrderflowError(error)) {
      const status = STATUS[error.code] ?? (error.retriable ? 503 : 500);
      if (status >= 500) o.log.error({ err: error, url: request.url }, 'order API request failed');
      const { field, issues } = error.context as { field?: string; issues?: unknown };
      return reply.code(status).send({ error: { code: error.code, message: error.message, field, issues } });
    }
    const statusCode = (error as { statusCode?: unknown }).statusCode;
    // fastify's own refusals (413 body too large, 404 route, 405...) are the client's: pass them on.
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return reply
        .code(statusCode)
        .send({ error: { code: 'ORDERFLOW_REQUEST_INVALID', message: describeError(error) } });
    }
    o.log.error({ err: error, url: request.url }, 'order API request failed');
    return reply.code(500).send({ error: { code: 'INTERNAL', message: describeError(error) } });
  });

  app.post('/v1/orders', async (request, reply) => {
    const body = typeof request.body === 'string' ? request.body : '';
    const placed = await o.desk.place(request.headers['idempotency-key'], body);
    reply.header('location', `/v1/orders/${placed.body.order_id}`);
    if (!placed.created) reply.header('idempotent-replayed', 'true');
    return reply.code(placed.created ? 201 : 200).send(placed.body);
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>(
    '/v1/orders/:id',
    async (request, reply) => {
      const wait = parseWait(request.query.wait);
      if (!wait.ok) throw invalidRequest([{ field: 'wait', message: wait.message }]);
      // A client that hangs up ends its wait (the response closes before it is sent).
      const gone = new AbortController();
      reply.raw.once('close', () => gone.abort());
      const body = await o.desk.status(request.params.id, wait.seconds, gone.signal);
      return reply.send(body);
    },
  );

  app.get('/health', async (_request, reply) =>
    reply.code(o.view.ready ? 200 : 503).send({ ready: o.view.ready, orders: o.view.size }),
  );

  return app;
}
