import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { pipelineNames } from '../../../common/names.ts';
import { topicName } from '../../../schemas/topics.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { createTopics, deleteTopics, uniquePrefix } from '../helpers.ts';
import { spawnStage, type ServiceRun } from '../services.ts';
import {
  deletePendingTopics,
  expectPacedExactlyOnce,
  inputProducer,
  readTopics,
  sampleOrders,
  total,
} from './pipeline.ts';

const N = 300;
const SPEED = 100_000;
const SPREAD_MS = 20_000; // order dates spread over 20 real seconds after the anchor

/** The payment stage as a child process in live mode, with a fixed instance id. */
function spawnPayment(prefix: string, anchor: number): ServiceRun {
  return spawnStage('payment', prefix, 'pacing-crash-1', [
    '--group',
    `${prefix}payment`,
    '--batch-size',
    '50',
    '--seed',
    '7',
    '--speed',
    String(SPEED),
    '--anchor',
    String(anchor),
  ]);
}

describe('payment stage: killed while holding pending outputs', () => {
  const prefix = uniquePrefix('pcrash');
  let current: ChildProcess | undefined;

  afterAll(async () => {
    current?.kill('SIGKILL');
    await deleteTopics(prefix);
    await deletePendingTopics(prefix);
  });

  it('restores every pending output after kill -9 and releases each exactly once, never early', async () => {
    await createTopics(prefix);
    const anchor = Date.now() + 5000; // the child needs a few seconds to start
    const orders: Order[] = sampleOrders(N, 97).map((o, i) => ({
      ...o,
      order_date: anchor + Math.floor((i * SPREAD_MS * SPEED) / N),
    }));
    const input = await inputProducer(prefix);
    await input.send(orders);
    await input.close();
    const outputs = [topicName('paid', prefix), topicName('failed', prefix)];

    // Run 1: consume everything into the pending topic, release a little, then kill -9.
    const first = spawnPayment(prefix, anchor);
    current = first.child;
    await first.logged('pending outputs released', 2);
    first.child.kill('SIGKILL');
    await first.exit;
    const soFar = await readTopics(outputs, () => true, { settleMs: 1000, timeoutMs: 15_000 });
    expect(total(soFar)).toBeLessThan(N); // killed while outputs were still held
    const held = await readTopics([pipelineNames(prefix).pending('payment')], () => true, {
      settleMs: 1000,
      timeoutMs: 15_000,
    });
    expect(total(held)).toBeGreaterThan(N / 2); // most outputs went through the pending topic

    // Run 2: restores what run 1 committed as pending, releases some, and is killed -9 again.
    const second = spawnPayment(prefix, anchor);
    current = second.child;
    await second.logged('pending outputs released', 2);
    second.child.kill('SIGKILL');
    await second.exit;
    expect(second.sum('pending partition restored', 'restored')).toBeGreaterThan(0);

    // Run 3: restores the rest and releases it; then a graceful stop.
    const last = spawnPayment(prefix, anchor);
    current = last.child;
    const records = await readTopics(outputs, (r) => total(r) >= N, { timeoutMs: 120_000, settleMs: 3000 });
    last.child.kill('SIGTERM');
    expect(await last.exit).toBe(0);
    current = undefined;
    expect(last.sum('pending partition restored', 'restored')).toBeGreaterThan(0);

    expectPacedExactlyOnce(input.encoder, records, N, anchor, SPEED);
  });
});
