import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../../simulation/config.ts';
import { generateOrders } from '../../../simulation/model/generator.ts';
import { PROFILES } from '../../../processors/profiles.ts';
import { stageRng } from '../../../processors/rng.ts';
import { STAGES } from '../../../processors/stages.ts';
import { checkOrder, describeViolations, type LifecycleStage } from '../../../schemas/invariants.ts';

const TOPIC_STAGE: Record<string, LifecycleStage> = {
  paid: 'paid',
  shipped: 'shipped',
  finished: 'finished',
  failed: 'failed',
};

describe('stage outputs keep the lifecycle invariants', () => {
  it.each(['default', 'historical'] as const)(
    'every output of every stage passes checkOrder for its topic (%s profile, generator seed 3, 3000 orders)',
    (profile) => {
      const orders = generateOrders(makeConfig({ seed: 3, count: 3000, from: Date.UTC(2025, 0, 1) }), {
        now: () => Date.UTC(2026, 0, 1),
      });
      const seen = new Set<string>();
      for (const unpaid of orders) {
        expect(describeViolations(checkOrder(unpaid, 'unpaid'))).toBe('');
        let current = unpaid;
        for (const stage of ['payment', 'shipping', 'delivery'] as const) {
          const def = STAGES[stage];
          const outcome = def.transform(current, stageRng(11, stage, current.order_id), PROFILES[profile]);
          const topic =
            outcome.kind === 'next' ? def.success : outcome.kind === 'finished' ? def.finished! : def.failed;
          seen.add(`${stage}->${topic}`);
          expect(describeViolations(checkOrder(outcome.order, TOPIC_STAGE[topic]))).toBe('');
          current = outcome.order;
          if (outcome.kind !== 'next') break;
        }
      }
      expect(seen.size).toBe(7); // every route was exercised, a store order's payment -> finished too
    },
  );
});
