/** Durations in milliseconds, for event-time arithmetic (all dates are UTC epoch milliseconds). */
export const SECOND = 1000;
export const HOUR = 3600 * SECOND;
export const DAY = 24 * HOUR;

/** A closed range of whole units, e.g. { min: 3, max: 5 } days. */
export interface Range {
  min: number;
  max: number;
}
