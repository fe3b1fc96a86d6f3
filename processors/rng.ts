import { seededRng, type RandomGenerator } from '../common/seeded-rng.ts';
import type { Stage } from '../schemas/types.generated.ts';

export { between, chance, type RandomGenerator } from '../common/seeded-rng.ts';

/**
 * Deterministic randomness for the stages: every draw a stage makes for an order comes from a
 * generator seeded by (global seed, stage, order_id), so processing the same order again (after a
 * crash, a rebalance or a replay) gives the same outcome and the same bytes.
 */
export function stageRng(seed: number, stage: Stage, orderId: string): RandomGenerator {
  return seededRng(`${seed}\u0000${stage}\u0000${orderId}`);
}
