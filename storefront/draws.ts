/**
 * The storefront's random draws for one order: a generator keyed by (seed, order_id), so the same
 * order always draws the same session whatever was processed before it. Pure: no clock, no I/O.
 */
import { UniformDraws } from '../common/draws.ts';
import { seededRng } from '../common/seeded-rng.ts';

export class Draws extends UniformDraws {
  constructor(key: string) {
    super(seededRng(key));
  }
}
