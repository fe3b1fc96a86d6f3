/**
 * Where an order is placed: online, or at the till of a store that is open at the order's local
 * hour (reference/stores.ts). Draws come from the generator's own `channel` stream, two per order
 * whatever the outcome, so the channel never shifts another model's numbers.
 */
import type { Channel } from '../../schemas/types.generated.ts';
import { isOpen, STORES, type Store } from '../../reference/stores.ts';
import type { GeneratorConfig } from '../config.ts';
import { cumulative } from '../../common/draws.ts';
import type { Random } from './random.ts';

export interface Sale {
  channel: Channel;
  /** The store of a store order; null online. */
  store: Store | null;
}

const ONLINE: Sale = Object.freeze({ channel: 'online', store: null });

export class ChannelModel {
  /** Per local hour: the stores open then, all of them and by province, with cumulative weights. */
  private readonly open: { all: Choice | null; byProvince: ReadonlyMap<string, Choice> }[] = [];

  constructor(
    private readonly config: GeneratorConfig['stores'],
    private readonly rng: Random,
    stores: readonly Store[] = STORES,
  ) {
    for (let hour = 0; hour < 24; hour++) {
      const open = stores.filter((s) => isOpen(s, hour));
      const byProvince = new Map<string, Choice>();
      for (const code of new Set(open.map((s) => s.provincial_code))) {
        byProvince.set(code, choice(open.filter((s) => s.provincial_code === code)));
      }
      this.open.push({ all: open.length > 0 ? choice(open) : null, byProvince });
    }
  }

  /** The sale channel of an order placed at local hour `hour` by a customer in `provincialCode`. */
  draw(hour: number, provincialCode: string): Sale {
    const u = this.rng.float();
    const v = this.rng.float();
    const { all, byProvince } = this.open[hour]!;
    if (all === null) return ONLINE;
    const near = byProvince.get(provincialCode);
    if (near !== undefined) return u < this.config.nearStore ? near.pick(v) : ONLINE;
    return u < this.config.awayFromStore ? all.pick(v) : ONLINE;
  }
}

interface Choice {
  /** The store sale at the store that `v` in [0, 1) falls on, by weight. */
  pick(v: number): Sale;
}

function choice(stores: readonly Store[]): Choice {
  const sales: Sale[] = stores.map((store) => Object.freeze({ channel: 'store' as const, store }));
  const weights = cumulative(stores.map((s) => s.weight));
  const total = weights[weights.length - 1]!;
  return {
    pick(v) {
      const target = v * total;
      const i = weights.findIndex((c) => target < c);
      return sales[i < 0 ? sales.length - 1 : i]!;
    },
  };
}
