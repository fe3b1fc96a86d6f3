import { z } from 'zod';
import { OrderflowError } from './errors.ts';

/**
 * Typed, documented settings read from the environment and validated once at start-up.
 *
 * Each setting names its environment variable, its default and a doc line, so `--help`, the README
 * table and the error for a bad value all come from the same place.
 */
export interface Setting<T> {
  env: string;
  doc: string;
  default: T;
  schema: z.ZodType<T>;
}

export type SettingsSpec = Record<string, Setting<unknown>>;
export type SettingsOf<S extends SettingsSpec> = {
  [K in keyof S]: S[K] extends Setting<infer T> ? T : never;
};

export function setting<T>(env: string, schema: z.ZodType<T>, defaultValue: T, doc: string): Setting<T> {
  return { env, schema, default: defaultValue, doc };
}

/** A TCP port from an environment string ("9092"), rejecting anything that is not 1..65535. */
export const port = z.coerce.number().int().min(1).max(65535);
export const positiveInt = z.coerce.number().int().positive();
export const nonNegativeInt = z.coerce.number().int().nonnegative();
export const boolFlag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');

/**
 * Load the settings from `env` (default: process.env), with `overrides` (e.g. CLI flags) winning.
 * A bad value throws ORDERFLOW_CONFIG_INVALID naming the variable, the value and what is allowed.
 */
export function loadSettings<S extends SettingsSpec>(
  spec: S,
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Record<keyof S, unknown>> = {},
): SettingsOf<S> {
  const result: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(spec)) {
    const override = overrides[key as keyof S];
    const raw = override !== undefined ? override : env[s.env];
    if (raw === undefined || raw === '') {
      result[key] = s.default;
      continue;
    }
    const parsed = s.schema.safeParse(raw);
    if (!parsed.success) {
      const allowed = parsed.error.issues.map((i) => i.message).join('; ');
      const source = override !== undefined ? `option for ${s.env}` : s.env;
      throw new OrderflowError(
        'ORDERFLOW_CONFIG_INVALID',
        `${source}=${JSON.stringify(raw)} is not valid: ${allowed}. ${s.doc} (default: ${JSON.stringify(s.default)})`,
      );
    }
    result[key] = parsed.data;
  }
  return result as SettingsOf<S>;
}

/** Rows for the README's configuration table and `--help` footers. */
export function describeSettings(spec: SettingsSpec): { env: string; default: string; doc: string }[] {
  return Object.values(spec).map((s) => ({ env: s.env, default: JSON.stringify(s.default), doc: s.doc }));
}
