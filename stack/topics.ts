import { createKafka } from '../common/kafka.ts';
import type { Logger } from '../common/logger.ts';
import { OrderflowError } from '../common/errors.ts';
import { retry } from '../common/retry.ts';
import { AvroSerde, readSchema } from '../common/serde.ts';
import { dlqTopic, SINK_DLQ_TOPIC, TOPICS, valueSubject } from '../schemas/topics.ts';

export interface TopicPlan {
  topic: string;
  partitions: number;
  /** The schema file its value subject carries (none for dead-letter topics: they keep raw bytes). */
  schema?: string;
}

/** Every topic of the pipeline for a prefix, with the schema its `<topic>-value` subject carries. */
export function topicPlan(prefix: string, partitions: number): TopicPlan[] {
  const plan: TopicPlan[] = [];
  for (const t of Object.values(TOPICS)) {
    plan.push({ topic: prefix + t.name, partitions, schema: t.schema });
    if (t.dlq) plan.push({ topic: dlqTopic(prefix + t.name), partitions: 1 });
  }
  plan.push({ topic: prefix + SINK_DLQ_TOPIC, partitions: 1 });
  return plan;
}

/**
 * Create the topics that do not exist yet (existing ones are left as they are), register each value
 * schema under `<topic>-value` and set the subject's compatibility to BACKWARD. Idempotent.
 */
export async function ensureTopics(options: {
  bootstrap: string;
  registryUrl: string;
  prefix: string;
  partitions: number;
  replicationFactor: number;
  log: Logger;
}): Promise<{ created: string[]; existing: string[] }> {
  const plan = topicPlan(options.prefix, options.partitions);
  const admin = createKafka(options.bootstrap, 'orderflow-topics', options.log).admin();
  try {
    await withBrokerRetry(() => admin.connect(), options.bootstrap);
    const existing = new Set(await withBrokerRetry(() => admin.listTopics(), options.bootstrap));
    const missing = plan.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) {
      try {
        await admin.createTopics({
          topics: missing.map((t) => ({
            topic: t.topic,
            numPartitions: t.partitions,
            replicationFactor: options.replicationFactor,
          })),
        });
      } catch (error) {
        // Another process may have created some of them in the meantime: fine, if they all exist now.
        const now = new Set(await admin.listTopics());
        const still = missing.filter((t) => !now.has(t.topic)).map((t) => t.topic);
        if (still.length > 0) {
          throw new OrderflowError(
            'ORDERFLOW_BROKER_UNAVAILABLE',
            `could not create topics ${still.join(', ')}: ${String(error)}`,
            { cause: error, retriable: true },
          );
        }
      }
    }
    const serde = new AvroSerde(options.registryUrl);
    for (const t of plan) {
      if (!t.schema) continue;
      await serde.writer(valueSubject(t.topic), readSchema(t.schema));
      await setCompatibility(options.registryUrl, valueSubject(t.topic), 'BACKWARD');
    }
    return {
      created: missing.map((t) => t.topic),
      existing: plan.filter((t) => existing.has(t.topic)).map((t) => t.topic),
    };
  } finally {
    await admin.disconnect();
  }
}

export async function setCompatibility(registryUrl: string, subject: string, level: string): Promise<void> {
  await retry(
    async () => {
      let res: Response;
      try {
        res = await fetch(`${registryUrl}/config/${encodeURIComponent(subject)}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
          body: JSON.stringify({ compatibility: level }),
          signal: AbortSignal.timeout(10_000),
        });
      } catch (error) {
        throw new OrderflowError(
          'ORDERFLOW_REGISTRY_UNAVAILABLE',
          `setting compatibility ${level} on ${subject}: ${String(error)}`,
          { cause: error, retriable: true },
        );
      }
      if (!res.ok) {
        throw new OrderflowError(
          'ORDERFLOW_REGISTRY_UNAVAILABLE',
          `setting compatibility ${level} on ${subject} failed: HTTP ${res.status} ${await res.text()}`,
          // 409: another process set it at the same moment (Apicurio: "A rule named 'COMPATIBILITY'
          // already exists"); the same PUT again updates the rule that now exists.
          { retriable: res.status >= 500 || res.status === 409 },
        );
      }
    },
    {
      what: `the schema registry at ${registryUrl} (compatibility of ${subject})`,
      code: 'ORDERFLOW_REGISTRY_UNAVAILABLE',
      budgetMs: 60_000,
      hint: 'is it running? (orderflow stack status)',
    },
  );
}

/** Retry a broker call with exponential backoff for about 30 s, then fail with a clear message. */
export async function withBrokerRetry<T>(
  fn: () => Promise<T>,
  bootstrap: string,
  budgetMs = 30_000,
): Promise<T> {
  return retry(fn, {
    what: `Kafka at ${bootstrap}`,
    code: 'ORDERFLOW_BROKER_UNAVAILABLE',
    budgetMs,
    backoff: { initialMs: 500, maxMs: 8_000 },
    retriable: () => true,
    hint: 'is it running? (orderflow stack status)',
  });
}
