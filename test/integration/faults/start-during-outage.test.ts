/**
 * A service started while the broker is down waits for it (within its start-up budget) instead of
 * exiting: `orderflow split` is started with the broker killed, the broker comes back a few seconds
 * later, and every order then lands once. Before, the splitter exited at once with "producer could
 * not connect: broker transport failure" and nothing was split.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../../schemas/types.generated.ts';
import { spawnService, type ServiceRun } from '../services.ts';
import { finalOrders, startLanding, type LandingPipeline } from '../landing/landing-fixture.ts';
import { exactlyOnce, expected, landedCounts } from './landing-counts.ts';
import { kill9, restore } from './stack-control.ts';

let p: LandingPipeline;
let splitter: ServiceRun | undefined;

beforeAll(async () => {
  p = await startLanding('startdown', { splitter: false });
});

afterAll(async () => {
  splitter?.child.kill('SIGTERM');
  await splitter?.exit;
  await restore('kafka').catch(() => undefined);
  await p?.close();
});

describe('a service started while the broker is down', () => {
  it('the splitter waits for the broker, then splits every order once', async () => {
    const sent: { finished: Order[]; failed: Order[] }[] = [finalOrders(1000, 61)];
    await p.send(sent[0]!);
    try {
      await kill9('kafka');
      splitter = spawnService(['split', '--topic-prefix', p.prefix, '--instance-id', 'startdown-1']);
      // Its first try failed and it goes on trying: the broker is brought back only now.
      await splitter.logged('broker not answering at start-up; retrying');
      expect(splitter.child.exitCode).toBeNull();
    } finally {
      await restore('kafka');
    }
    await splitter.logged('stage started');
    const all = expected(sent);
    const counts = await landedCounts(p, all, 240_000);
    expect(counts).toEqual(exactlyOnce(all));
    expect(splitter.child.exitCode).toBeNull();
  }, 420_000);
});
