/**
 * Command-line flags made from settings: the flag's name comes from the setting, its help from the
 * setting's doc, variable and default, and its value goes through the setting's own validator in
 * loadSettings, so a flag and its environment variable can never be checked two ways.
 *
 *   addSettingFlags(command, spec, ['seed', 'batchSize']);
 *   command.action((opts, cmd: Command) => { const s = loadCommandSettings(spec, cmd); ... });
 */
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import type { z } from 'zod';
import { loadSettings, type Setting, type SettingsOf, type SettingsSpec } from './config.ts';
import { OrderflowError } from './errors.ts';

/** The checkout's root, without the trailing slash. */
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

/** A default as help and the README show it: what a machine-drawn default is made of, not its value. */
export function shownDefault(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll(REPO_ROOT, '<repo>')
    .replaceAll(hostname(), '<host>')
    .replace(`-${process.pid}`, '-<pid>');
}

/** The help line of a setting's flag: its doc, then (VARIABLE, default X). */
export function settingHelp(s: Setting<unknown>, defaultLabel?: string): string {
  const shown = defaultLabel ?? (s.default === '' ? undefined : shownDefault(s.default));
  return `${s.doc} (${s.env}${shown === undefined ? '' : `, default ${shown}`})`;
}

export interface FlagOptions {
  /** Show this instead of the setting's default (e.g. "9301/9302/9303 by stage"). */
  defaultLabel?: string;
  /** Another spelling on this command only, where the usual one would be ambiguous. */
  flag?: string;
}

/** The commander option of a setting, with no commander default: an unset flag leaves the variable in charge. */
export function settingOption(s: Setting<unknown>, options: FlagOptions = {}): Option {
  const flag = options.flag ?? s.flag;
  if (!flag) throw new Error(`${s.env} has no flag`);
  return new Option(flag, settingHelp(s, options.defaultLabel));
}

/** The flags a command registered, by variable name: the spelling used there. */
const registered = new WeakMap<Command, Map<string, Option>>();

/** Add the flags of `keys` (settings of `spec`) to `command`. */
export function addSettingFlags<S extends SettingsSpec>(
  command: Command,
  spec: S,
  keys: readonly (keyof S & string)[],
  options: Partial<Record<keyof S & string, FlagOptions>> = {},
): Command {
  const flags = registered.get(command) ?? new Map<string, Option>();
  registered.set(command, flags);
  for (const key of keys) {
    const s = spec[key]!;
    const option = settingOption(s, options[key]);
    flags.set(s.env, option);
    command.addOption(option);
  }
  return command;
}

/** The values given on the command line for the settings of `spec` that `command` has flags for. */
export function settingFlagValues<S extends SettingsSpec>(
  spec: S,
  command: Command,
): Partial<Record<keyof S, unknown>> {
  const flags = registered.get(command);
  const out: Partial<Record<keyof S, unknown>> = {};
  if (!flags) return out;
  for (const [key, s] of Object.entries(spec)) {
    const option = flags.get(s.env);
    if (!option) continue;
    const name = option.attributeName();
    // Only what was typed: a negatable flag's implicit `true` must not hide the variable.
    if (command.getOptionValueSource(name) === 'cli') out[key as keyof S] = command.getOptionValue(name);
  }
  return out;
}

/**
 * The settings of `spec` from the environment and `command`'s flags (flags win), through one
 * validator per setting; an error names the flag as this command spells it.
 */
export function loadCommandSettings<S extends SettingsSpec>(
  spec: S,
  command: Command,
  env: NodeJS.ProcessEnv = process.env,
): SettingsOf<S> {
  const flags = registered.get(command);
  const spelled = Object.fromEntries(
    Object.entries(spec).map(([key, s]) => [key, { ...s, flag: flags?.get(s.env)?.flags ?? s.flag }]),
  ) as unknown as S;
  return loadSettings(spelled, env, settingFlagValues(spec, command));
}

/**
 * A command's own flag (not an environment setting) through a zod schema: a bad value throws
 * `code` naming the flag, the value and what is allowed (the schema's messages).
 */
export function parseFlag<T>(
  flag: string,
  schema: z.ZodType<T>,
  value: unknown,
  code: 'ORDERFLOW_USAGE' | 'ORDERFLOW_CONFIG_INVALID' = 'ORDERFLOW_USAGE',
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const allowed = [...new Set(parsed.error.issues.map((i) => i.message))].join('; ');
  throw new OrderflowError(code, `${flag} ${JSON.stringify(value)} is not valid: use ${allowed}`, {
    context: { flag, value, allowed },
  });
}
