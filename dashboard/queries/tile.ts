import { changePercent } from '../range.ts';

/** A big-number tile: this period's value, the same span of the period before, and the change. */
export interface Tile {
  value: number | null;
  previous: number | null;
  changePercent: number | null;
}

export function tile(value: number | null, previous: number | null): Tile {
  return { value, previous, changePercent: value === null ? null : changePercent(value, previous) };
}
