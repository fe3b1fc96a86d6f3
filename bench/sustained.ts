/**
 * `orderflow bench sustained`: the whole chain under a backfill long enough to reach its steady
 * state, and what it costs in CPU per order across every process of the chain, next to a floor
 * baseline in the same invocation.
 *
 * The chain: fresh topics and schema, the three stages and the splitter started (and ready), the
 * sink connectors deployed, then the real `orderflow generate` backfill of N orders. The window
 * runs from the generator's start to the last order row committed in PostgreSQL (with every
 * customer and line row), then `reconcile` must pass. CPU is read from /proc: each service process,
 * the broker, Connect, the registry and PostgreSQL (the postmaster and its backends).
 *
 * The floor: the same N orders' bytes through the same five hops by the raw client with no
 * application logic (produce; three transactional pass-throughs; a transactional fan-out to each
 * order's pre-encoded split records) and landed with COPY, each hop a process of its own.
 *
 * This file wires the two sides (sustained-chain.ts, sustained-floor.ts) into one result.
 */
import { describeError } from '../common/errors.ts';
import type { SustainedResult, SustainedSide } from './cpu-account.ts';
import { machineInfo, versions } from './machine.ts';
import { loadAverage } from './resources.ts';
import { resultHead, type Invocation } from './invocation.ts';
import { inputFor, singleInputContext } from './suite.ts';
import { runChain } from './sustained-chain.ts';
import { runFloor } from './sustained-floor.ts';

export interface SustainedOptions {
  orders: number;
  seed: number;
  batchSize: number;
  partitions: number;
  floor: boolean;
  /** The whole invocation's budget; each wait is bounded by what is left of it. */
  maxMinutes: number;
}

export async function runSustained(invocation: Invocation, o: SustainedOptions): Promise<SustainedResult> {
  const { conn, print, deadline } = invocation;
  const built = performance.now();
  const input = await inputFor(conn.registryUrl, o.seed, o.orders);
  print(
    `input (seed ${o.seed}): ${input.orders} orders, ${input.items} lines, built in ${((performance.now() - built) / 1000).toFixed(1)} s`,
  );
  const ctx = singleInputContext(conn, o, input, invocation.log);
  const chain = await runChain(ctx, input, deadline, print);
  print(
    `chain: ${chain.ordersPerSecond.toLocaleString('en-US')} orders/s, ${chain.totalMicrosPerOrder} CPU-µs per order${chain.valid ? '' : ` INVALID (${chain.note})`}`,
  );
  let floor: SustainedSide | null = null;
  if (o.floor) {
    try {
      floor = await runFloor(ctx, input, deadline, print);
      print(
        `floor: ${floor.ordersPerSecond.toLocaleString('en-US')} orders/s, ${floor.totalMicrosPerOrder} CPU-µs per order${floor.valid ? '' : ` INVALID (${floor.note})`}`,
      );
    } catch (error) {
      print(`floor: failed: ${describeError(error)}`);
    }
  }
  return {
    ...resultHead('sustained', invocation),
    orders: o.orders,
    seed: o.seed,
    batchSize: o.batchSize,
    partitions: o.partitions,
    chain,
    floor,
    ratio:
      floor && floor.totalMicrosPerOrder > 0
        ? Math.round((chain.totalMicrosPerOrder / floor.totalMicrosPerOrder) * 100) / 100
        : null,
    loadBefore: invocation.loadBefore,
    loadAfter: loadAverage(),
    machine: { ...machineInfo() },
    versions: { ...(await versions(conn.databaseUrl)) },
  };
}
