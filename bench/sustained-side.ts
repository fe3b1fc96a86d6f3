/**
 * One side of `orderflow bench sustained` (the chain or its floor): how a side is run, the names of
 * its topics and schema, and its result from the window's figures.
 */
import { totalMicros, type ProcessCpu, type SustainedSide } from './cpu-account.ts';
import type { BenchInput } from './input.ts';
import type { BenchContext } from './systems/index.ts';

/** Runs one side over the given input, within the invocation's deadline, printing its progress. */
export type RunSide = (
  ctx: BenchContext,
  input: BenchInput,
  deadline: number,
  print: (line: string) => void,
) => Promise<SustainedSide>;

/** The topic prefix and warehouse schema of one side of a run. */
export function sideNames(ctx: BenchContext, side: string): { prefix: string; schema: string } {
  return { prefix: `bench_${ctx.runId}_${side}_`, schema: `bench_${ctx.runId}_${side}` };
}

/** One side of a sustained run (the chain or the floor) from its window's figures. */
export function sustainedSide(
  orders: number,
  seconds: number,
  processes: ProcessCpu[],
  rowsPerOrder: number,
  valid: boolean,
  load: [number, number],
  note?: string,
  extra?: Record<string, number | string>,
): SustainedSide {
  return {
    orders,
    seconds: Math.round(seconds * 1000) / 1000,
    ordersPerSecond: seconds > 0 ? Math.round(orders / seconds) : Number.NaN,
    processes,
    totalMicrosPerOrder: totalMicros(processes, orders),
    rowsPerOrder: Math.round(rowsPerOrder * 1000) / 1000,
    valid,
    load,
    ...(note ? { note } : {}),
    ...(extra ? { extra } : {}),
  };
}
