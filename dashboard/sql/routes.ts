import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../common/logger.ts';
import { z } from 'zod';
import { isOrderflowError } from '../../common/errors.ts';
import { parse } from '../kafka/routes.ts';
import { SqlQueries, StatementRejected, type SqlOptions } from './queries.ts';

const startBody = z.object({ statement: z.string().max(20_000) });
const viewQuery = z.object({ after: z.coerce.number().int().min(0).default(0) });

/**
 * The SQL tab's API under /api/sql/: POST queries (one read-only statement: 200 with the query once
 * Flink accepted it, 400 with Flink's message, line and column when it did not), GET queries/:id
 * (state and rows after `after`), POST queries/:id/cancel (cancels the Flink job), GET meta.
 */
export function registerSql(
  app: FastifyInstance<Server, IncomingMessage, ServerResponse, Logger>,
  options: SqlOptions,
): { close(): Promise<void> } {
  const queries = new SqlQueries(options);
  const wrap =
    <R>(fn: (request: FastifyRequest) => Promise<R>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        return await fn(request);
      } catch (error) {
        if (error instanceof StatementRejected)
          return reply.code(400).send({ error: error.code, message: error.message, ...error.position });
        if (isOrderflowError(error) && error.code === 'ORDERFLOW_FLINK_UNAVAILABLE')
          return reply.code(503).send({ error: error.code, message: error.message });
        throw error;
      }
    };
  app.get(
    '/api/sql/meta',
    wrap(async (r) => {
      parse(z.object({}), r.query, 'query');
      return {
        flinkUrl: queries.flinkUrl,
        maxRows: queries.maxRows,
        maxSeconds: queries.maxSeconds,
        maxRunning: queries.maxRunning,
      };
    }),
  );
  app.post(
    '/api/sql/queries',
    wrap(async (r) => queries.start(parse(startBody, r.body, 'body').statement)),
  );
  app.get<{ Params: { id: string } }>(
    '/api/sql/queries/:id',
    wrap(async (r) => {
      const { id } = r.params as { id: string };
      return queries.view(id, parse(viewQuery, r.query, 'query').after);
    }),
  );
  app.post<{ Params: { id: string } }>(
    '/api/sql/queries/:id/cancel',
    wrap(async (r) => queries.cancel((r.params as { id: string }).id)),
  );
  return { close: () => queries.close() };
}
