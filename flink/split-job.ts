/**
 * The split job (flink/split.sql) on the local Flink cluster: submitted once per topic prefix (a
 * job of the same name already running is left alone), found by name, cancelled.
 */
import type { SettingsOf } from '../common/config.ts';
import { OrderflowError } from '../common/errors.ts';
import { renderSql, readFlinkSql } from '../common/flink-catalog.ts';
import { splitStatements } from '../common/flink-statements.ts';
import { unavailable, type GatewayClient } from '../common/flink-gateway.ts';
import type { sqlSettings } from './settings.ts';

type SqlSettings = SettingsOf<typeof sqlSettings>;

export function splitJobName(prefix: string): string {
  return `${prefix}orderflow-flink-split`;
}

interface JobOverview {
  jid: string;
  name: string;
  state: string;
}

const ACTIVE = new Set(['CREATED', 'INITIALIZING', 'RUNNING', 'RESTARTING', 'RECONCILING']);

export async function activeJob(restUrl: string, name: string): Promise<JobOverview | undefined> {
  let jobs: JobOverview[];
  try {
    const res = await fetch(`${restUrl}/jobs/overview`, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    jobs = ((await res.json()) as { jobs: JobOverview[] }).jobs;
  } catch (error) {
    throw unavailable(`the Flink JobManager does not answer at ${restUrl}`, error);
  }
  return jobs.find((j) => j.name === name && ACTIVE.has(j.state));
}

/**
 * Submit the split job unless it runs already; its job id and whether it was submitted now.
 * `overrides` are SET before the job starts, after split.sql's own (a test's checkpoint interval).
 */
export async function submitSplit(
  s: SqlSettings,
  session: (s: SqlSettings) => Promise<GatewayClient>,
  overrides: Record<string, string> = {},
): Promise<{ jobId: string; submitted: boolean }> {
  const rest = `http://127.0.0.1:${s.flinkRestPort}`;
  const running = await activeJob(rest, splitJobName(s.topicPrefix));
  if (running) return { jobId: running.jid, submitted: false };
  const client = await session(s);
  try {
    const script = renderSql(readFlinkSql('split.sql'), {
      prefix: s.topicPrefix,
      bootstrap: s.kafkaBootstrap,
      registry: s.registryUrl,
    });
    let jobId: string | undefined;
    const quiet = { columns: () => undefined, rows: () => undefined };
    const statements = splitStatements(script).map((st) => st.text);
    const sets = Object.entries(overrides).map(
      ([k, v]) => `SET '${k.replaceAll("'", "''")}' = '${v.replaceAll("'", "''")}'`,
    );
    statements.splice(statements.length - 1, 0, ...sets);
    for (const stmt of statements) jobId = (await client.execute(stmt, quiet)) ?? jobId;
    if (!jobId) throw new OrderflowError('ORDERFLOW_SQL_FAILED', 'flink/split.sql started no job');
    return { jobId, submitted: true };
  } finally {
    await client.close();
  }
}

/** Cancel a job (test clean-up, `orderflow flink cancel-split`). */
export async function cancelJob(restUrl: string, jobId: string): Promise<void> {
  await fetch(`${restUrl}/jobs/${jobId}?mode=cancel`, { method: 'PATCH', signal: AbortSignal.timeout(5000) });
}
