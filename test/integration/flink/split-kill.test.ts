/**
 * The Flink split survives its TaskManager killed with kill -9 mid-stream: the job restarts from its
 * last checkpoint on the TaskManager `stack up` starts again, the Kafka transactions open at the kill
 * are aborted, and the split topics (read_committed) hold exactly the records the TypeScript splitter
 * writes for the same input: none lost, none twice.
 *
 * The input arrives in three parts: A before the job starts (committed by a checkpoint before the
 * kill), B right after a checkpoint (written by the job, its transaction still open at the kill) and
 * C while no TaskManager runs. The checkpoint interval is 10 s here, so B is surely in flight.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { loadStack, stackUp } from '../../../stack/stack.ts';
import { log } from '../helpers.ts';
import { total } from '../processors/pipeline.ts';
import { expectedRecords, flinkEnv, landedOrders, splitComparison, type Landed } from './split-fixture.ts';

interface Checkpoints {
  counts: { completed: number; restored: number };
  latest: { completed: { id: number } | null; restored: { id: number } | null };
}

const part = (input: Landed, from: number, to: number): Landed => ({
  finished: input.finished.slice(from, to),
  failed: input.failed.slice(Math.floor(from / 3), Math.floor(to / 3)),
});

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    await sleep(250);
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
}

describe('the Flink split with its TaskManager killed (kill -9)', () => {
  // Before the clean-up, whatever happened: `stack up`, so that the stack ends with a TaskManager.
  const split = splitComparison({ ts: 'fkts', flink: 'fkfl' }, () => stackUp(() => undefined, flinkEnv));
  // 120 orders: 90 finished, 30 failed; parts A, B, C of 30 finished + 10 failed each.
  const input = landedOrders(120, 29);
  const [a, b, c] = [part(input, 0, 30), part(input, 30, 60), part(input, 60, 90)];
  const expected = expectedRecords(input);
  const { rest } = split;

  it('restarts from its checkpoint and writes every record exactly once', async () => {
    expect(expectedRecords(a) + expectedRecords(b) + expectedRecords(c)).toBe(expected);
    const started = Date.now();

    // The reference: the TypeScript splitter over all 120 orders.
    await split.produce('ts', input);
    const splitter = await split.startSplitter('kill');
    let fromTs;
    try {
      fromTs = await split.read('ts', expected, { timeoutMs: 60_000 });
    } finally {
      await splitter.stop();
    }
    expect(total(fromTs)).toBe(expected);

    // A: committed by a checkpoint before the kill.
    await split.produce('flink', a);
    const flinkJob = (await split.submit({ 'execution.checkpointing.interval': '10 s' })).jobId;
    const afterA = await split.read('flink', expectedRecords(a), {
      timeoutMs: 60_000,
      settleMs: 500,
    });
    expect(total(afterA)).toBe(expectedRecords(a));

    // B: right after a checkpoint completes, so the next one is ~10 s away; wait until the job has
    // written B (visible read_uncommitted), then kill the TaskManager while B's transactions are open.
    const cp0 = (await json<Checkpoints>(`${rest}/jobs/${flinkJob}/checkpoints`)).counts.completed;
    await until('a fresh checkpoint', 30_000, async () => {
      const cp = await json<Checkpoints>(`${rest}/jobs/${flinkJob}/checkpoints`);
      return cp.counts.completed > cp0 ? cp : undefined;
    });
    await split.produce('flink', b);
    const inFlight = expectedRecords(a) + expectedRecords(b);
    await split.read('flink', inFlight, {
      timeoutMs: 8000,
      settleMs: 0,
      isolation: 'read_uncommitted',
    });
    const tm = loadStack(flinkEnv).components.find((x) => x.name === 'flink-tm')!;
    const tmPid = tm.pid();
    expect(tmPid).toBeDefined();
    process.kill(tmPid!, 'SIGKILL');
    const killedAt = Date.now();
    // B was not committed: read_committed still shows A only.
    const atKill = await split.read('flink', 0, {
      timeoutMs: 10_000,
      settleMs: 1000,
    });
    expect(total(atKill)).toBe(expectedRecords(a));

    // C: while no TaskManager runs. Then `stack up` starts a TaskManager again.
    await split.produce('flink', c);
    await until('the TaskManager gone', 10_000, async () => (tm.pid() === undefined ? true : undefined));
    await stackUp(() => undefined, flinkEnv);
    const restartedAt = Date.now();

    // The recovery takes as long as the JobManager needs to see the TaskManager gone (heartbeat
    // timeout 15 s), to restart the job (exponential backoff while no slot is free) and to complete
    // a checkpoint on the new TaskManager (every 10 s): 30-90 s here, more on a busy machine. The
    // test claims exactly once, not a recovery time, so it waits long enough.
    const fromFlink = await split.read('flink', expected, {
      timeoutMs: 240_000,
      settleMs: 3000,
    });
    const recoveredAt = Date.now();
    log.warn(
      {
        killToRestartS: (restartedAt - killedAt) / 1000,
        restartToCompleteS: (recoveredAt - restartedAt) / 1000,
        totalS: (recoveredAt - started) / 1000,
      },
      'kill -9 recovery timings',
    );

    // The same job, restored from a checkpoint (not resubmitted), running again.
    const job = await json<{ state: string }>(`${rest}/jobs/${flinkJob}`);
    expect(job.state).toBe('RUNNING');
    const cp = await json<Checkpoints>(`${rest}/jobs/${flinkJob}/checkpoints`);
    expect(cp.counts.restored).toBeGreaterThanOrEqual(1);
    expect(cp.latest.restored).not.toBeNull();

    // Exactly once: every record once, the same keys and values as the TypeScript splitter.
    expect(total(fromFlink), `job ${job.state}, checkpoints ${JSON.stringify(cp.counts)}`).toBe(expected);
    const ref = await split.decoded('ts', fromTs);
    const got = await split.decoded('flink', fromFlink);
    expect(new Set(got.orders!.map((l) => l.split(' => ')[0])).size).toBe(120);
    expect(got).toEqual(ref);

    // The aborted transactions' records are in the log (read_uncommitted sees them) but not in the result.
    const raw = await split.read('flink', expected, {
      timeoutMs: 30_000,
      settleMs: 1000,
      isolation: 'read_uncommitted',
    });
    expect(total(raw)).toBeGreaterThanOrEqual(expected + expectedRecords(b));
  }, 480_000);
});
