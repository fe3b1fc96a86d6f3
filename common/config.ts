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
  /** The command-line flag that sets it, the same on every command ("--seed <n>"); none: env only. */
  flag?: string;
  /** Variables this setting took over: still setting one of them stops start-up with a pointer here. */
  replaces?: readonly string[];
}

export type SettingsSpec = Record<string, Setting<unknown>>;
export type SettingsOf<S extends SettingsSpec> = {
  [K in keyof S]: S[K] extends Setting<infer T> ? T : never;
};

export function setting<T>(
  env: string,
  schema: z.ZodType<T>,
  defaultValue: T,
  doc: string,
  options: { flag?: string; replaces?: readonly string[] } = {},
): Setting<T> {
  return { env, schema, default: defaultValue, doc, ...options };
}

/** A blank string is no number (z.coerce.number would read it as 0). */
const blankIsNaN = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? Number.NaN : v);

/** An integer in [min, max] from a string ("9092"), every failure saying what is allowed. */
export function integerIn(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  const error =
    max === Number.MAX_SAFE_INTEGER ? `an integer of at least ${min}` : `an integer from ${min} to ${max}`;
  return z.preprocess(
    blankIsNaN,
    z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error }),
  );
}

/** A finite number above `min` (or at least `min` with `inclusive`), every failure saying what is allowed. */
export function numberAbove(min: number, inclusive = false) {
  const error = `a number ${inclusive ? 'of at least' : 'greater than'} ${min}`;
  const n = z.coerce.number({ error }).refine(Number.isFinite, { error });
  return z.preprocess(
    blankIsNaN,
    inclusive ? n.refine((x) => x >= min, { error }) : n.refine((x) => x > min, { error }),
  );
}

/** A TCP port from an environment string ("9092"), rejecting anything that is not 1..65535. */
export const port = integerIn(1, 65535);
export const positiveInt = integerIn(1);
export const nonNegativeInt = integerIn(0);
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
    for (const old of s.replaces ?? []) {
      if (env[old] !== undefined && env[old] !== '') {
        throw new OrderflowError(
          'ORDERFLOW_CONFIG_INVALID',
          `${old} is no longer read: set ${s.env} instead (${s.doc})`,
          { context: { setting: key, env: old, replacedBy: s.env, value: env[old] } },
        );
      }
    }
    const override = overrides[key as keyof S];
    const raw = override !== undefined ? override : env[s.env];
    if (raw === undefined || raw === '') {
      result[key] = s.default;
      continue;
    }
    const parsed = s.schema.safeParse(raw);
    if (!parsed.success) {
      const allowed = [...new Set(parsed.error.issues.map((i) => i.message))].join('; ');
      const flag = override !== undefined ? flagName(s) : undefined;
      const source = flag ? `${flag} ${JSON.stringify(raw)} (${s.env})` : `${s.env}=${JSON.stringify(raw)}`;
      throw new OrderflowError(
        'ORDERFLOW_CONFIG_INVALID',
        `${source} is not valid: ${allowed}. ${s.doc} (default: ${JSON.stringify(s.default)})`,
        {
          context: {
            setting: key,
            env: s.env,
            ...(flag ? { flag } : {}),
            value: raw,
            allowed,
            default: s.default,
          },
        },
      );
    }
    result[key] = parsed.data;
  }
  return result as SettingsOf<S>;
}

/** "--seed" from "--seed <n>"; "--no-transactions" as it is. */
export function flagName(s: Setting<unknown>): string | undefined {
  return s.flag?.split(/[ ,]/)[0];
}

/** Rows for the README's configuration table and `--help` footers. */
export function describeSettings(spec: SettingsSpec): { env: string; default: string; doc: string }[] {
  return Object.values(spec).map((s) => ({ env: s.env, default: JSON.stringify(s.default), doc: s.doc }));
}
