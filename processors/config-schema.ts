import { z } from 'zod';

/** Shared building blocks for the stage configs (pure: no I/O). */
export const rate = z.number().min(0).max(1);

export const range = z
  .object({ min: z.number().int(), max: z.number().int() })
  .refine((r) => r.min <= r.max, { message: 'min must not exceed max' });

/** Shares that must add up to 1 (within float rounding). */
export function sumsToOne(values: number[]): boolean {
  return Math.abs(values.reduce((a, b) => a + b, 0) - 1) < 1e-9;
}
