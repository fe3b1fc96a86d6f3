import { describe, expect, it } from 'vitest';
import { topicName, dlqTopic } from '../../../schemas/topics.ts';
import {
  killMidStream,
  orderIds,
  readTopics,
  sampleOrders,
  testPipeline,
  total,
  PAYMENT_OUTPUTS,
} from './pipeline.ts';

const N = 6000;
const KILLS = 3;

describe('payment stage: crash and restart', () => {
  const pipe = testPipeline('crash');
  const { prefix } = pipe;
  /** The payment stage as a child process, exactly as an operator runs it. */
  const spawnPayment = () =>
    pipe.spawnStage('payment', 'crash-1', [
      '--group',
      `${prefix}payment`,
      '--batch-size',
      '25',
      '--seed',
      '7',
    ]);

  it(`stays exact when killed with SIGKILL ${KILLS} times mid-stream`, async () => {
    const encoder = await pipe.load(sampleOrders(N, 23));
    const outputs = pipe.topics(...PAYMENT_OUTPUTS);

    await killMidStream(spawnPayment, KILLS, outputs, N);

    const last = spawnPayment();
    const records = await readTopics(outputs, (r) => total(r) >= N, { timeoutMs: 180_000 });
    last.child.kill('SIGTERM');
    expect(await last.exit).toBe(0); // graceful stop

    expect(total(records)).toBe(N);
    expect(orderIds(encoder, records).size).toBe(N);
    const dead = await readTopics([dlqTopic(topicName('unpaid', prefix))], () => true, {
      settleMs: 1000,
      timeoutMs: 10_000,
    });
    expect(total(dead)).toBe(0);
  });
});
