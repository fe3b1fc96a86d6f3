import { describe, expect, it } from 'vitest';
import { expectPacedExactlyOnce, readTopics, testPipeline, total, PAYMENT_OUTPUTS } from './pipeline.ts';

const N = 300;
const SPEED = 100_000;
const SPREAD_MS = 20_000; // order dates spread over 20 real seconds after the anchor

describe('payment stage: killed while holding pending outputs', () => {
  const pipe = testPipeline('pcrash');
  /** The payment stage as a child process in live mode, with a fixed instance id. */
  const spawnPayment = (anchor: number) =>
    pipe.spawnStage('payment', 'pacing-crash-1', [
      '--group',
      `${pipe.prefix}payment`,
      '--batch-size',
      '50',
      '--seed',
      '7',
      '--speed',
      String(SPEED),
      '--anchor',
      String(anchor),
    ]);

  it('restores every pending output after kill -9 and releases each exactly once, never early', async () => {
    // The child needs a few seconds to start (more on a loaded machine): the first order is due 10 s
    // after the load, so most outputs are still held when it has read them all.
    const { anchor, encoder } = await pipe.loadPaced(N, 97, {
      startsInMs: 10_000,
      spreadMs: SPREAD_MS,
      speed: SPEED,
    });
    const outputs = pipe.topics(...PAYMENT_OUTPUTS);

    // Run 1: consume everything into the pending topic, release a little, then kill -9.
    const first = spawnPayment(anchor);
    await first.logged('pending outputs released', 2);
    first.child.kill('SIGKILL');
    await first.exit;
    const soFar = await readTopics(outputs, () => true, { settleMs: 1000, timeoutMs: 15_000 });
    expect(total(soFar)).toBeLessThan(N); // killed while outputs were still held
    const held = await readTopics([pipe.names.pending('payment')], () => true, {
      settleMs: 1000,
      timeoutMs: 15_000,
    });
    expect(total(held)).toBeGreaterThan(N / 2); // most outputs went through the pending topic

    // Run 2: restores what run 1 committed as pending, releases some, and is killed -9 again.
    const second = spawnPayment(anchor);
    await second.logged('pending outputs released', 2);
    second.child.kill('SIGKILL');
    await second.exit;
    expect(second.sum('pending partition restored', 'restored')).toBeGreaterThan(0);

    // Run 3: restores the rest and releases it; then a graceful stop.
    const last = spawnPayment(anchor);
    const records = await readTopics(outputs, (r) => total(r) >= N, { timeoutMs: 120_000, settleMs: 3000 });
    last.child.kill('SIGTERM');
    expect(await last.exit).toBe(0);
    expect(last.sum('pending partition restored', 'restored')).toBeGreaterThan(0);

    expectPacedExactlyOnce(encoder, records, N, anchor, SPEED);
  });
});
