import { describe, expect, it } from 'vitest';
import { orderIds, readTopics, total, until, testPipeline, PAYMENT_OUTPUTS } from './pipeline.ts';

const N = 400;
const SPEED = 100_000;
const SPREAD_MS = 15_000; // due times spread over 15 real seconds: a release every timer tick
const STOPS = 4;

// Regression: stop() used to disconnect the consumer while a release transaction was still running;
// its sendOffsets then read a disconnected consumer and the native client crashed the process.
describe('payment stage: stopped in the middle of a release', () => {
  const pipe = testPipeline('pstop');

  it('finishes the release, stops cleanly, and the next instance releases the rest exactly once', async () => {
    const { encoder, pacing } = await pipe.loadPaced(N, 67, {
      startsInMs: 2000,
      spreadMs: SPREAD_MS,
      speed: SPEED,
    });

    let stoppedMidRelease = 0;
    for (let i = 0; i < STOPS; i++) {
      const stage = await pipe.startStage('payment', { ...pacing, instanceId: `${pipe.prefix}i${i}` });
      await until(() => stage.runtime.releaseInProgress, `instance ${i} to start a release`, {
        pollMs: 1,
      });
      if (stage.runtime.releaseInProgress) stoppedMidRelease++;
      await pipe.stopStage(stage);
    }
    expect(stoppedMidRelease).toBe(STOPS);

    await pipe.startStage('payment', { ...pacing, instanceId: `${pipe.prefix}last` });
    const outputs = pipe.topics(...PAYMENT_OUTPUTS);
    const records = await readTopics(outputs, (r) => total(r) >= N, { timeoutMs: 120_000, settleMs: 3000 });
    expect(total(records)).toBe(N);
    expect(orderIds(encoder, records).size).toBe(N);
  });
});
