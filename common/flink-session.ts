/**
 * A Flink SQL Gateway session with the pipeline's catalog loaded (flink/catalog.sql), shared by
 * `orderflow sql`, `orderflow flink split` and the dashboard's SQL tab: the tables whose topic
 * exists are declared (a query on a missing topic would kill the TaskManager); a query on one of
 * the others fails with ORDERFLOW_TOPIC_MISSING, naming the topic.
 */
import { catalogStatements } from './flink-catalog.ts';
import { GatewayClient } from './flink-gateway.ts';
import { missingTopicError, tableOf, type CatalogTable } from './flink-missing-topics.ts';
import { createKafka } from './kafka.ts';
import { createLogger } from './logger.ts';
import { retry } from './retry.ts';

/** Where Flink and the pipeline are (the fields of flink/settings.ts's sqlSettings). */
export interface FlinkSessionParams {
  kafkaBootstrap: string;
  registryUrl: string;
  topicPrefix: string;
  flinkRestPort: number;
  flinkGatewayPort: number;
}

export type CatalogSession = GatewayClient & { missing: CatalogTable[] };

export function gatewayClient(s: FlinkSessionParams): GatewayClient {
  return new GatewayClient(`http://127.0.0.1:${s.flinkGatewayPort}`, `http://127.0.0.1:${s.flinkRestPort}`);
}

/** The topics Kafka has now. */
async function existingTopics(bootstrap: string): Promise<Set<string>> {
  const admin = createKafka(bootstrap, 'orderflow-sql', createLogger('sql', 'error')).admin();
  const brokerRetry = <T>(fn: () => Promise<T>) =>
    retry(fn, {
      what: `Kafka at ${bootstrap}`,
      code: 'ORDERFLOW_BROKER_UNAVAILABLE',
      budgetMs: 10_000,
      backoff: { initialMs: 500, maxMs: 8_000 },
      retriable: () => true,
      hint: 'is it running? (orderflow stack status)',
    });
  try {
    await brokerRetry(() => admin.connect());
    return new Set(await brokerRetry(() => admin.listTopics()));
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Open a session and declare the catalog's tables whose topic exists; `missing` lists the others. */
export async function catalogSession(s: FlinkSessionParams): Promise<CatalogSession> {
  const client = gatewayClient(s);
  await client.open();
  const topics = await existingTopics(s.kafkaBootstrap);
  const missing: CatalogTable[] = [];
  const quiet = { columns: () => undefined, rows: () => undefined };
  for (const stmt of catalogStatements({
    prefix: s.topicPrefix,
    bootstrap: s.kafkaBootstrap,
    registry: s.registryUrl,
  })) {
    const table = tableOf(stmt);
    if (table && !topics.has(table.topic)) missing.push(table);
    else await client.execute(stmt, quiet);
  }
  client.explain = (message) => missingTopicError(message, missing, s.topicPrefix);
  return Object.assign(client, { missing });
}
