import { afterAll, describe, expect, it } from 'vitest';
import type { RunningStage } from '../../../processors/service.ts';
import { topicName } from '../../../schemas/topics.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { createTopics, deleteTopics, uniquePrefix } from '../helpers.ts';
import {
  deletePendingTopics,
  inputProducer,
  orderIds,
  readTopics,
  sampleOrders,
  startStage,
  testSettings,
  total,
  until,
} from './pipeline.ts';

const N = 400;
const SPEED = 100_000;
const SPREAD_MS = 15_000; // due times spread over 15 real seconds: a release every timer tick
const STOPS = 4;

// Regression: stop() used to disconnect the consumer while a release transaction was still running;
// its sendOffsets then read a disconnected consumer and the native client crashed the process.
describe('payment stage: stopped in the middle of a release', () => {
  const prefix = uniquePrefix('pstop');
  const running: RunningStage[] = [];

  afterAll(async () => {
    for (const r of running) await r.stop();
    await deleteTopics(prefix);
    await deletePendingTopics(prefix);
  });

  it('finishes the release, stops cleanly, and the next instance releases the rest exactly once', async () => {
    await createTopics(prefix);
    const anchor = Date.now() + 2000;
    const orders: Order[] = sampleOrders(N, 67).map((o, i) => ({
      ...o,
      order_date: anchor + Math.floor((i * SPREAD_MS * SPEED) / N),
    }));
    const input = await inputProducer(prefix);
    await input.send(orders);
    await input.close();
    const settings = testSettings('payment', prefix, { speed: SPEED, anchor: String(anchor) });

    let stoppedMidRelease = 0;
    for (let i = 0; i < STOPS; i++) {
      const stage = await startStage('payment', { ...settings, instanceId: `${prefix}i${i}` });
      running.push(stage);
      await until(() => stage.runtime.releaseInProgress, `instance ${i} to start a release`, {
        pollMs: 1,
      });
      if (stage.runtime.releaseInProgress) stoppedMidRelease++;
      await stage.stop();
      running.pop();
    }
    expect(stoppedMidRelease).toBe(STOPS);

    running.push(await startStage('payment', { ...settings, instanceId: `${prefix}last` }));
    const outputs = [topicName('paid', prefix), topicName('failed', prefix)];
    const records = await readTopics(outputs, (r) => total(r) >= N, { timeoutMs: 120_000, settleMs: 3000 });
    expect(total(records)).toBe(N);
    expect(orderIds(input.encoder, records).size).toBe(N);
  });
});
