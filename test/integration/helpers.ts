import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { loadSettings } from '../../common/config.ts';
import { createKafka } from '../../common/kafka.ts';
import { createLogger } from '../../common/logger.ts';
import { APICURIO_CONVERTER } from '../../connect/settings.ts';
import type { SinkValues } from '../../connect/sink-config.ts';
import { connectionSettings } from '../../common/settings.ts';
import { ensureTopics, topicPlan } from '../../stack/topics.ts';

/** Connection settings of the local stack (or of ORDERFLOW_* overrides). */
export const conn = loadSettings(connectionSettings);
export const log = createLogger('test', process.env.ORDERFLOW_TEST_LOG_LEVEL ?? 'warn');
export const ORDERFLOW_BIN = fileURLToPath(new URL('../../bin/orderflow.mjs', import.meta.url));

/** A topic prefix no other test or run uses: each test gets its own topics and consumer groups. */
export function uniquePrefix(tag = 't'): string {
  return `${tag}_${Date.now().toString(36)}${randomBytes(3).toString('hex')}_`;
}

/** Create every pipeline topic (and .dlq twin) for `prefix`, registering the value schemas. */
export async function createTopics(prefix: string, partitions = conn.partitions): Promise<void> {
  await ensureTopics({
    bootstrap: conn.kafkaBootstrap,
    registryUrl: conn.registryUrl,
    prefix,
    partitions,
    replicationFactor: 1,
    log,
  });
}

/** Delete the topics of `prefix` (test clean-up). */
export async function deleteTopics(prefix: string): Promise<void> {
  const planned = new Set(topicPlan(prefix, 1).map((t) => t.topic));
  await deleteTopicsWhere((t) => planned.has(t));
}

/** Delete every topic of the cluster that `doomed` picks (test clean-up), on the local stack by default. */
export async function deleteTopicsWhere(
  doomed: (topic: string) => boolean,
  bootstrap = conn.kafkaBootstrap,
): Promise<void> {
  const admin = createKafka(bootstrap, 'orderflow-test-cleanup', log).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter(doomed);
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

/**
 * One schema registration, tried once, straight to the registry's REST API (no client, no retry):
 * the HTTP status and the body (the new id, or the registry's own error).
 */
export async function registerOnce(
  subject: string,
  schema: string,
): Promise<{ status: number; body: string }> {
  const res = await fetch(`${conn.registryUrl}/subjects/${encodeURIComponent(subject)}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema }),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, body: await res.text() };
}

/** The sink connectors' values on the local stack for one test's topic prefix and warehouse schema. */
export function localSinkValues(topicPrefix: string, warehouseSchema: string): SinkValues {
  return {
    topicPrefix,
    warehouseSchema,
    replicationFactor: 1,
    valueConverter: APICURIO_CONVERTER,
    registryUrl: conn.registryUrl,
    converterRegistryUrl: '',
    databaseUrl: conn.databaseUrl,
    jdbcUrl: '',
    jdbcUser: '',
    jdbcPassword: '',
  };
}
