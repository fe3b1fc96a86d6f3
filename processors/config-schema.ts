import { z } from 'zod';

/** Shared building blocks for the stage configs (pure: no I/O). */
export const rate = z.number().min(0).max(1);

export const range = z
  .object({ min: z.number().int(), max: z.number().int() })
  .refine((r) => r.min <= r.max, { message: 'min must not exceed max' });

/** A window for each shipping speed: express and standard. */
export const bySpeed = z.object({ express: range, standard: range });

/** The window of an order's shipping speed. */
export function windowFor<W>(windows: { express: W; standard: W }, express: boolean): W {
  return express ? windows.express : windows.standard;
}

/** Shares that must add up to 1 (within float rounding). */
export function sumsToOne(values: number[]): boolean {
  return Math.abs(values.reduce((a, b) => a + b, 0) - 1) < 1e-9;
}
