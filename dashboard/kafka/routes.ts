import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../common/logger.ts';
import { z } from 'zod';
import { OrderflowError, isOrderflowError } from '../../common/errors.ts';
import type { Db } from '../warehouse-reader.ts';
import { connectorAction, ConnectorsView } from './connectors.ts';
import { KafkaContext, isLoopback, type KafkaViewsOptions } from './context.ts';
import { DeadLetters, dlqActionBody, dlqListQuery } from './dead-letters.ts';
import { followOrder, followQuery } from './follow-order.ts';
import { consumerGroups } from './groups.ts';
import { MessagesView, messagesQuery } from './messages.ts';
import { produceBody, sampleOrder, TestProducer } from './produce.ts';
import { diffQuery, SchemasView, subjectQuery } from './schemas.ts';
import { TopicsView } from './topics.ts';

/** Parse a query or body with `schema`; unknown parameters and bad values are a 400 naming them. */
export function parse<T extends z.ZodRawShape>(schema: z.ZodObject<T>, input: unknown, what: string) {
  const result = schema.strict().safeParse(input ?? {});
  if (result.success) return result.data;
  const reasons = result.error.issues.map((i) => {
    const name = i.path.join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(', ') : what);
    const value = i.path.length > 0 ? (input as Record<string, unknown>)[String(i.path[0])] : undefined;
    return `${what} ${name}${value === undefined ? '' : `=${JSON.stringify(value)}`}: ${i.message}`;
  });
  throw new OrderflowError('ORDERFLOW_USAGE', reasons.join('; '));
}

class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface KafkaViews {
  ctx: KafkaContext;
  close(): Promise<void>;
}

/**
 * The Kafka views' JSON API under /api/kafka/: topics, messages, follow an order, schemas, groups,
 * connectors, dead letters and a test producer. Writes answer 403 unless allowed (and, beyond
 * loopback, 401 without the token).
 */
export async function registerKafkaViews(
  app: FastifyInstance<Server, IncomingMessage, ServerResponse, Logger>,
  options: KafkaViewsOptions & { splitGroups?: string[] },
  db: Db,
): Promise<KafkaViews> {
  const ctx = new KafkaContext(options);
  const topics = new TopicsView(ctx);
  const messages = new MessagesView(ctx);
  const schemas = new SchemasView(ctx);
  const connectors = new ConnectorsView(ctx);
  const deadLetters = new DeadLetters(ctx, messages.schemaTexts);
  const producer = new TestProducer(ctx);
  const tokenNeeded = !isLoopback(options.host);
  const writes = options.allowWrites && (!tokenNeeded || Boolean(options.token));

  const guard = (request: FastifyRequest) => {
    if (!options.allowWrites)
      throw new Refused(
        403,
        'writes are off: start the dashboard with --allow-writes (ORDERFLOW_DASHBOARD_ALLOW_WRITES=true)',
      );
    if (!tokenNeeded) return;
    if (!options.token)
      throw new Refused(
        403,
        `the dashboard binds ${options.host}, beyond loopback: writes need ORDERFLOW_DASHBOARD_TOKEN`,
      );
    const given = Buffer.from(String(request.headers['x-orderflow-token'] ?? ''));
    const want = Buffer.from(options.token);
    if (given.length !== want.length || !timingSafeEqual(given, want))
      throw new Refused(401, 'this write needs the dashboard token in the x-orderflow-token header');
  };
  const wrap =
    <R>(fn: (request: FastifyRequest) => Promise<R>, write = false) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        if (write) guard(request);
        return await fn(request);
      } catch (error) {
        if (error instanceof Refused)
          return reply.code(error.status).send({ error: 'ORDERFLOW_USAGE', message: error.message });
        if (isOrderflowError(error) && error.code === 'ORDERFLOW_DLQ_ALREADY_HANDLED')
          return reply.code(409).send({ error: error.code, message: error.message });
        throw error;
      }
    };

  /**
   * The handler of a route whose query (or, for a write, body) `schema` parses, a 400 naming
   * anything else, answered by `fn`; a write is behind the guard.
   */
  const parsed = <T extends z.ZodRawShape, R>(
    schema: z.ZodObject<T>,
    fn: (input: ReturnType<typeof parse<T>>) => Promise<R>,
    write = false,
  ) => wrap(async (r) => fn(write ? parse(schema, r.body, 'body') : parse(schema, r.query, 'query')), write);
  const none = z.object({});

  app.get(
    '/api/kafka/meta',
    wrap(async () => ({
      prefix: ctx.names.prefix,
      topics: ctx.topics,
      writesAllowed: writes,
      tokenRequired: tokenNeeded,
    })),
  );
  app.get(
    '/api/kafka/topics',
    parsed(none, () => topics.list()),
  );
  app.get(
    '/api/kafka/messages',
    parsed(messagesQuery, (q) => messages.page(q)),
  );
  app.get(
    '/api/kafka/follow',
    parsed(followQuery, (q) => followOrder(ctx, db, messages.schemaTexts, q.order)),
  );
  app.get(
    '/api/kafka/schemas',
    parsed(none, () => schemas.subjects()),
  );
  app.get(
    '/api/kafka/schemas/version',
    parsed(subjectQuery.extend({ version: z.coerce.number().int().min(1) }), (q) =>
      schemas.version(q.subject, q.version),
    ),
  );
  app.get(
    '/api/kafka/schemas/diff',
    parsed(diffQuery, (q) => schemas.diff(q.subject, q.from, q.to)),
  );
  app.get(
    '/api/kafka/groups',
    parsed(none, () => consumerGroups(ctx, options.splitGroups)),
  );
  app.get(
    '/api/kafka/connectors',
    parsed(none, () => connectors.list()),
  );
  app.post(
    '/api/kafka/connectors/action',
    parsed(connectorAction, (b) => connectors.act(b.name, b.action, b.task), true),
  );
  app.get(
    '/api/kafka/dead-letters',
    parsed(dlqListQuery, (q) => deadLetters.list(q)),
  );
  for (const kind of ['replay', 'discard'] as const)
    app.post(
      `/api/kafka/dead-letters/${kind}`,
      parsed(dlqActionBody, (b) => deadLetters.act(kind, b.topic, b.partition, b.offset), true),
    );
  app.get(
    '/api/kafka/produce/sample',
    wrap(async () => ({ value: sampleOrder() })),
  );
  app.post(
    '/api/kafka/produce',
    parsed(produceBody, (b) => producer.produce(b), true),
  );

  return {
    ctx,
    close: async () => {
      await deadLetters.close();
      await producer.close();
      await ctx.close();
    },
  };
}
