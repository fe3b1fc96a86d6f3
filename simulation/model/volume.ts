/**
 * The order clock: how long until the next order. Gaps depend on the kind of day (payday sale,
 * month-end sale, ordinary), a slowly drifting volume adjuster, and the hour of the day.
 */
import type { GeneratorConfig, Range } from '../config.ts';
import { localDay } from '../../reference/calendar.ts';
import { cumulative } from '../../common/draws.ts';
import type { Random } from './random.ts';

const MINUTE = 60_000;

function between(rng: Random, [min, max]: Range): number {
  return rng.int(min, max);
}

export class VolumeModel {
  /** Minutes taken off every gap; grows (mostly) as the adjuster is re-drawn. */
  private offsetMinutes = 0;
  private readonly ordinaryCumulative: number[];
  private readonly adjusterCumulative: number[];
  private readonly paydayHourCumulative: number[];
  private readonly curve: number[];

  constructor(
    private readonly config: GeneratorConfig,
    private readonly rng: Random,
  ) {
    this.ordinaryCumulative = cumulative(config.gaps.ordinary.map((s) => s.weight));
    const a = config.adjuster;
    this.adjusterCumulative = cumulative([a.less, a.same, a.more]);
    this.paydayHourCumulative = cumulative(config.gaps.paydayHourWeights);
    this.curve = normaliseCurve(config.timeOfDay);
  }

  get adjusterOffsetMinutes(): number {
    return this.offsetMinutes;
  }

  /** Called after each order; re-draws the adjuster every `adjuster.every` orders. */
  orderPlaced(orderCount: number): void {
    const a = this.config.adjuster;
    if (orderCount % a.every !== 0) return;
    const direction = this.rng.weightedIndex(this.adjusterCumulative) - 1; // -1 less, 0 same, +1 more
    if (direction === 0) return;
    const step = between(this.rng, a.stepMinutes);
    this.offsetMinutes = Math.min(a.maxOffsetMinutes, Math.max(0, this.offsetMinutes + direction * step));
  }

  /** Milliseconds from an order at `t` to the next one. */
  nextGap(t: number): number {
    const g = this.config.gaps;
    const day = localDay(t, this.config);
    let minutes: number;
    if (day.kind === 'payday') {
      minutes = this.rng.weightedIndex(this.paydayHourCumulative) * 60 + between(this.rng, g.paydayMinutes);
    } else if (day.kind === 'monthEnd') {
      minutes = between(this.rng, g.monthEndMinutes);
    } else {
      const shape = g.ordinary[this.rng.weightedIndex(this.ordinaryCumulative)]!;
      minutes = between(this.rng, shape.hours) * 60 + between(this.rng, g.ordinaryMinutes);
    }
    const ms = (minutes - this.offsetMinutes) * MINUTE + this.rng.int(0, 59_999);
    const shaped = ms * this.curve[day.hour]!;
    return Math.max(g.floorMinutes * MINUTE, Math.round(shaped));
  }
}

/**
 * Scale the 24 gap multipliers so their reciprocals (the relative order rates per hour) average 1:
 * the curve then reshapes the day without changing how many orders a day holds.
 */
export function normaliseCurve(curve: readonly number[]): number[] {
  if (curve.length !== 24 || curve.some((v) => !(v > 0))) {
    throw new RangeError('timeOfDay must hold 24 positive multipliers');
  }
  const meanRate = curve.reduce((s, v) => s + 1 / v, 0) / 24;
  return curve.map((v) => v * meanRate);
}
