import { expect } from 'vitest';
import type { ZodType } from 'zod';

/** `schema` accepts every one of `profiles` and refuses `bad`. */
export function expectConfigs(schema: ZodType, profiles: readonly unknown[], bad: unknown): void {
  for (const profile of profiles) expect(schema.safeParse(profile).success).toBe(true);
  expect(schema.safeParse(bad).success).toBe(false);
}
