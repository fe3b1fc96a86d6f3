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

/** A tile per key, this period's value in `now` against the same key of `before` (null: none). */
export function tilesOf<K extends string>(
  keys: readonly K[],
  now: Record<K, number | null>,
  before: Record<K, number | null> | null,
): Record<K, Tile> {
  return Object.fromEntries(keys.map((k) => [k, tile(now[k], before?.[k] ?? null)])) as Record<K, Tile>;
}
