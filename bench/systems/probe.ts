import { LoopDelay, stackProcesses, UsageWindow, type WatchedProcess } from '../resources.ts';
import type { RunSample } from '../types.ts';
import { round3, type RunOutcome } from './system.ts';

/** The measurement window of one run: CPU of the watched processes, load, event-loop delay. */
export class Probe {
  private readonly extra: WatchedProcess[] = [];
  private readonly window: UsageWindow;
  private readonly loop = new LoopDelay();
  private result: Pick<RunSample, 'usage' | 'load'> | undefined;
  private loopP99: number | undefined;

  constructor() {
    this.window = new UsageWindow(() => [
      { name: 'bench', pid: process.pid },
      ...this.extra,
      ...stackProcesses(),
    ]);
  }

  watch(name: string, pid: number): void {
    this.extra.push({ name, pid });
  }

  begin(): void {
    this.window.start();
    this.loop.start();
  }

  end(): void {
    if (this.result) return;
    this.loopP99 = this.loop.stop();
    this.result = this.window.stop();
  }

  /** CPU seconds of the named processes over the window (after it ended). */
  cpuSeconds(names: readonly string[]): number {
    this.end();
    return this.result!.usage.filter((u) => names.includes(u.name)).reduce(
      (s, u) => s + (u.cpuSeconds ?? 0),
      0,
    );
  }

  sample(outcome: RunOutcome): RunSample {
    this.end();
    const { usage, load } = this.result!;
    return {
      records: outcome.records,
      seconds: round3(outcome.seconds),
      rate: Math.round(outcome.rate),
      valid: outcome.valid,
      ...(outcome.note ? { note: outcome.note } : {}),
      load,
      usage,
      ...(outcome.eventLoopP99Ms !== undefined
        ? { eventLoopP99Ms: outcome.eventLoopP99Ms }
        : { eventLoopP99Ms: this.loopP99 }),
      ...(outcome.extra ? { extra: outcome.extra } : {}),
    };
  }
}
