/**
 * `orderflow sql -e 'SELECT ...'` leaves no job running on the Flink cluster when it is stopped:
 * by its output pipe closing (`| head -3`: EPIPE at the next row it writes), by SIGINT (Ctrl-C) or by
 * SIGTERM. Each case finds the query's job on the JobManager while rows stream, stops the command,
 * and checks the job is CANCELED once the command has exited.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../../common/config.ts';
import { sqlSettings } from '../../../flink/settings.ts';
import { stackUp } from '../../../stack/stack.ts';
import { ORDERFLOW_BIN, createTopics, deleteTopics, uniquePrefix } from '../helpers.ts';
import { inputProducer, sampleOrders } from '../processors/pipeline.ts';
import { flinkEnv } from './split-fixture.ts';

interface JobOverview {
  jid: string;
  name: string;
  state: string;
  'start-time': number;
}

const rest = `http://127.0.0.1:${loadSettings(sqlSettings, flinkEnv).flinkRestPort}`;

async function jobs(): Promise<JobOverview[]> {
  const res = await fetch(`${rest}/jobs/overview`, { signal: AbortSignal.timeout(5000) });
  return ((await res.json()) as { jobs: JobOverview[] }).jobs;
}

async function jobState(jid: string): Promise<string> {
  const res = await fetch(`${rest}/jobs/${jid}`, { signal: AbortSignal.timeout(5000) });
  return ((await res.json()) as { state: string }).state;
}

/** The one job started since `since` that is RUNNING (the query's), waiting up to 20 s for it. */
async function queryJob(since: number, known: Set<string>): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const fresh = (await jobs()).filter(
      (j) => j['start-time'] >= since && j.state === 'RUNNING' && !known.has(j.jid),
    );
    if (fresh.length === 1) return fresh[0]!.jid;
    expect(fresh.length).toBeLessThanOrEqual(1);
    await sleep(250);
  }
  throw new Error('the query started no running job within 20 s');
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
  });
}

describe('orderflow sql cancels its query job when stopped', () => {
  const prefix = uniquePrefix('fsqc');
  const env = { ...flinkEnv, ORDERFLOW_TOPIC_PREFIX: prefix };
  const known = new Set<string>();
  let producer: Awaited<ReturnType<typeof inputProducer>> | undefined;
  let paidTopicSend: (n: number, seed: number) => Promise<void>;

  beforeAll(async () => {
    await stackUp(() => undefined, flinkEnv);
    await createTopics(prefix);
    producer = await inputProducer(prefix);
    const p = producer;
    paidTopicSend = async (n, seed) =>
      p.sendRaw(
        `${prefix}paid_orders`,
        sampleOrders(n, seed).map((o) => ({ key: o.order_id, value: p.encoder.encode(o) })),
      );
    await paidTopicSend(10, 5);
  });

  afterAll(async () => {
    await producer?.close();
    await deleteTopics(prefix);
  });

  /** Start the query; resolves with the child and its row lines once `rows` rows have printed. */
  async function startQuery(rows: number): Promise<{ child: ChildProcess; lines: string[]; jid: string }> {
    const since = Date.now() - 1000;
    const child = spawn(
      process.execPath,
      [ORDERFLOW_BIN, 'sql', '-e', 'SELECT order_id, order_total FROM paid_orders'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines: string[] = [];
    const rl = createInterface({ input: child.stdout! });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${rows} rows in 60 s; stderr: ${stderr}`)), 60_000);
      rl.on('line', (line) => {
        if (lines.length === rows || !line.startsWith('| +I |')) return;
        lines.push(line);
        if (lines.length === rows) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', () => reject(new Error(`orderflow sql exited early; stderr: ${stderr}`)));
    });
    const jid = await queryJob(since, known);
    known.add(jid);
    rl.removeAllListeners('line');
    return { child, lines, jid };
  }

  it('when its output pipe closes (| head -3)', async () => {
    const { child, lines, jid } = await startQuery(3);
    expect(lines).toHaveLength(3);
    expect(await jobState(jid)).toBe('RUNNING');
    // head exits: the read end closes; the next row written fails with EPIPE.
    child.stdout!.destroy();
    await sleep(500);
    await paidTopicSend(5, 6);
    const code = await Promise.race([exitOf(child), sleep(30_000).then(() => 'timeout' as const)]);
    if (code === 'timeout') child.kill('SIGKILL');
    expect(code).toBe(0);
    expect(await jobState(jid)).toBe('CANCELED');
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`on ${signal}`, async () => {
      const { child, jid } = await startQuery(1);
      expect(await jobState(jid)).toBe('RUNNING');
      child.kill(signal);
      const code = await Promise.race([exitOf(child), sleep(30_000).then(() => 'timeout' as const)]);
      if (code === 'timeout') child.kill('SIGKILL');
      expect(code).toBe(0);
      expect(await jobState(jid)).toBe('CANCELED');
    });
  }
});
