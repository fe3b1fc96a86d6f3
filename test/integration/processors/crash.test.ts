import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { topicName, dlqTopic } from '../../../schemas/topics.ts';
import { createTopics, deleteTopics, uniquePrefix } from '../helpers.ts';
import { spawnStage, type ServiceRun } from '../services.ts';
import { decodeOrder, inputProducer, readTopics, sampleOrders, total } from './pipeline.ts';

const N = 6000;
const KILLS = 3;

/** The payment stage as a child process, exactly as an operator runs it. */
function spawnPayment(prefix: string): ServiceRun {
  return spawnStage('payment', prefix, 'crash-1', [
    '--group',
    `${prefix}payment`,
    '--batch-size',
    '25',
    '--seed',
    '7',
  ]);
}

describe('payment stage: crash and restart', () => {
  const prefix = uniquePrefix('crash');
  let current: ChildProcess | undefined;

  afterAll(async () => {
    current?.kill('SIGKILL');
    await deleteTopics(prefix);
  });

  it(`stays exact when killed with SIGKILL ${KILLS} times mid-stream`, async () => {
    await createTopics(prefix);
    const orders = sampleOrders(N, 23);
    const input = await inputProducer(prefix);
    await input.send(orders);
    await input.close();
    const outputs = [topicName('paid', prefix), topicName('failed', prefix)];

    for (let kill = 0; kill < KILLS; kill++) {
      const run = spawnPayment(prefix);
      current = run.child;
      await run.logged('batch committed');
      await sleep(150 * kill); // land at different points of the stream
      run.child.kill('SIGKILL');
      await run.exit;
      if (kill === 0) {
        const sofar = await readTopics(outputs, () => true, { settleMs: 1000, timeoutMs: 15_000 });
        expect(total(sofar)).toBeGreaterThan(0);
        expect(total(sofar)).toBeLessThan(N); // the kill really landed mid-stream
      }
    }

    const last = spawnPayment(prefix);
    current = last.child;
    const records = await readTopics(outputs, (r) => total(r) >= N, { timeoutMs: 180_000 });
    last.child.kill('SIGTERM');
    expect(await last.exit).toBe(0); // graceful stop
    current = undefined;

    expect(total(records)).toBe(N);
    const ids = new Set<string>();
    for (const list of records.values())
      for (const r of list) ids.add(decodeOrder(input.encoder, r.value).order_id);
    expect(ids.size).toBe(N);
    const dead = await readTopics([dlqTopic(topicName('unpaid', prefix))], () => true, {
      settleMs: 1000,
      timeoutMs: 10_000,
    });
    expect(total(dead)).toBe(0);
  });
});
