/**
 * A query on a table whose topic does not exist fails before any job starts, with an error naming
 * the topic and `orderflow topics`, instead of the job failing with an NPE that kills the
 * TaskManager; the split job of a prefix without topics is refused the same way. The TaskManager
 * that ran before is still the one running after.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../../common/config.ts';
import { catalogSession } from '../../../common/flink-session.ts';
import { sqlSettings } from '../../../flink/settings.ts';
import { submitSplit } from '../../../flink/split-job.ts';
import { loadStack, stackUp } from '../../../stack/stack.ts';
import { ORDERFLOW_BIN, uniquePrefix } from '../helpers.ts';
import { flinkEnv } from './split-fixture.ts';

const s = loadSettings(sqlSettings, flinkEnv);
const rest = `http://127.0.0.1:${s.flinkRestPort}`;

async function runningJobs(): Promise<number> {
  const res = await fetch(`${rest}/jobs/overview`, { signal: AbortSignal.timeout(5000) });
  return ((await res.json()) as { jobs: { state: string }[] }).jobs.filter((j) => j.state === 'RUNNING')
    .length;
}

describe('a table whose topic does not exist', () => {
  // No topics are created for this prefix.
  const prefix = uniquePrefix('fsnt');
  const tmPid = () =>
    loadStack(flinkEnv)
      .components.find((c) => c.name === 'flink-tm')!
      .pid();
  let pidBefore: number | undefined;
  let jobsBefore = 0;

  beforeAll(async () => {
    await stackUp(() => undefined, flinkEnv);
    pidBefore = tmPid();
    jobsBefore = await runningJobs();
  });

  afterAll(async () => {
    // Were the TaskManager killed after all, later tests still get one.
    await stackUp(() => undefined, flinkEnv);
  });

  it('`orderflow sql -e` names the topic and the fix, exits 1, and starts no job', async () => {
    const r = spawnSync(process.execPath, [ORDERFLOW_BIN, 'sql', '-e', 'SELECT order_id FROM paid_orders'], {
      env: { ...flinkEnv, ORDERFLOW_TOPIC_PREFIX: prefix },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `table paid_orders reads the Kafka topic ${prefix}paid_orders, which does not exist`,
    );
    expect(r.stderr).toContain('`orderflow topics`');
    expect(r.stderr).toContain('[ORDERFLOW_TOPIC_MISSING]');
    expect(r.stderr).not.toMatch(/NullPointerException/);
    expect(await runningJobs()).toBe(jobsBefore);
    expect(tmPid()).toBe(pidBefore);
  });

  it('the split job is refused with the same error', async () => {
    await expect(submitSplit({ ...s, topicPrefix: prefix }, catalogSession)).rejects.toMatchObject({
      code: 'ORDERFLOW_TOPIC_MISSING',
      message: expect.stringMatching(
        new RegExp(`reads the Kafka topic ${prefix}(finished_orders|orders)\\b`),
      ),
    });
    expect(await runningJobs()).toBe(jobsBefore);
    expect(tmPid()).toBe(pidBefore);
  });
});
