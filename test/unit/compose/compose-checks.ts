/**
 * Static checks of the Docker setup. Each check is a pure function returning a list of problems
 * (empty = fine), so the tests can run it on the real files and on deliberately broken copies.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { asArgs, environmentOf, type ComposeFile, type Service, type Vars } from './compose-model.ts';
import { isHostPath } from './compose-model.ts';
import { buildOf } from './image-checks.ts';

export function schemaProblems(compose: unknown, schema: Record<string, unknown>): string[] {
  // The schema names its draft by an https URL Ajv does not know by that spelling: it is draft-07.
  const body = { ...schema };
  delete body.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(body);
  if (validate(compose)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`,
  );
}

// ---------------------------------------------------------------------------------------------------
// Files the compose file builds from or mounts.

export function fileProblems(compose: ComposeFile, root: string): string[] {
  const problems: string[] = [];
  const declaredVolumes = new Set(Object.keys(compose.volumes ?? {}));
  for (const [name, s] of Object.entries(compose.services)) {
    const build = buildOf(s);
    if (build) {
      const context = path.resolve(root, build.context);
      if (!existsSync(context) || !statSync(context).isDirectory()) {
        problems.push(`${name}: build context ${build.context} is not a directory`);
      } else if (!existsSync(path.resolve(context, build.dockerfile))) {
        problems.push(`${name}: ${path.join(build.context, build.dockerfile)} does not exist`);
      }
    }
    for (const v of s.volumes ?? []) {
      const source = typeof v === 'string' ? v.split(':')[0]! : (v.source ?? '');
      if (source === '') continue;
      if (isHostPath(source)) {
        if (!existsSync(path.resolve(root, source)))
          problems.push(`${name}: mounts ${source}, which does not exist`);
      } else if (!declaredVolumes.has(source)) {
        problems.push(`${name}: named volume ${source} is not declared under volumes:`);
      }
    }
    for (const f of typeof s.env_file === 'string' ? [s.env_file] : (s.env_file ?? [])) {
      if (!existsSync(path.resolve(root, f))) problems.push(`${name}: env_file ${f} does not exist`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Pinned images, in the compose file and in the Dockerfiles it builds.

/** Constant `key=value` lines of the local stack's Kafka server.properties. */
export function localKafkaSettings(componentsTs: string): Vars {
  const start = componentsTs.indexOf('function kafka(');
  const end = componentsTs.indexOf('\nfunction ', start + 1);
  if (start < 0) throw new Error('stack/components.ts: no kafka() component');
  const body = componentsTs.slice(start, end < 0 ? undefined : end);
  const settings: Vars = {};
  for (const m of body.matchAll(/'([a-z][a-z0-9.]*)=([^'$]*)'/g)) settings[m[1]!] = m[2]!;
  return settings;
}

/** Differ by design: the compose broker has a third listener for the Docker host. */
export const KAFKA_SETTINGS_OWN_TO_COMPOSE = ['listener.security.protocol.map'];

export function kafkaProblems(kafkaEnv: Vars, local: Vars): string[] {
  const problems: string[] = [];
  if (Object.keys(local).length < 5)
    problems.push('found too few settings in stack/components.ts to compare');
  for (const [key, value] of Object.entries(local)) {
    if (KAFKA_SETTINGS_OWN_TO_COMPOSE.includes(key)) continue;
    const env = `KAFKA_${key.toUpperCase().replaceAll('.', '_')}`;
    if (kafkaEnv[env] !== value)
      problems.push(`kafka: ${env}=${kafkaEnv[env]}, the local stack has ${key}=${value}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Addresses: every host:port a service is pointed at is a compose service listening on that port.

export function isOrderflowService(s: Service): boolean {
  return (s.image ?? '').startsWith('orderflow:');
}

export function envNameProblems(compose: ComposeFile, known: Set<string>): string[] {
  const problems: string[] = [];
  for (const [name, s] of Object.entries(compose.services)) {
    for (const key of Object.keys(environmentOf(s))) {
      if (key.startsWith('ORDERFLOW_') && !known.has(key))
        problems.push(`${name}: ${key} is not an orderflow setting`);
    }
  }
  return problems;
}

/** The `orderflow ...` argument lists the compose file runs, one per distinct command. */
export function orderflowCommands(compose: ComposeFile): { services: string[]; args: string[] }[] {
  const byArgs = new Map<string, { services: string[]; args: string[] }>();
  for (const [name, s] of Object.entries(compose.services)) {
    if (!isOrderflowService(s)) continue;
    const args = asArgs(s.command);
    const key = JSON.stringify(args);
    const entry = byArgs.get(key) ?? { services: [], args };
    entry.services.push(name);
    byArgs.set(key, entry);
  }
  return [...byArgs.values()];
}

/**
 * Check one command against the CLI's help for it: the help belongs to that command (commander
 * prints the top-level help for an unknown command, with exit 0), and every option and positional
 * word the command uses appears in it.
 */
export function commandHelpProblems(args: string[], help: string, exitCode: number | null): string[] {
  const problems: string[] = [];
  const shown = `orderflow ${args.join(' ')}`;
  if (exitCode !== 0) return [`${shown}: --help exited ${exitCode}`];
  const usage = /^Usage: orderflow ((?:[a-z][\w-]* ?)*)/m.exec(help)?.[1]?.trim().split(' ') ?? [];
  const words = args.filter((a) => !a.startsWith('-'));
  if (usage.length === 0 || usage.some((u, i) => words[i] !== u)) {
    problems.push(`${shown}: the CLI has no such command (help is for "orderflow ${usage.join(' ')}")`);
    return problems;
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const flag = a.split('=')[0]!;
      if (!new RegExp(`(^|[\\s,])${flag}(?![\\w-])`, 'm').test(help))
        problems.push(`${shown}: no option ${flag}`);
      continue;
    }
    if (i < usage.length) continue;
    const previous = args[i - 1];
    if (previous?.startsWith('--')) continue; // an option's value
    if (!help.includes(a)) problems.push(`${shown}: argument ${a} is not mentioned in the help`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// ksqlDB migrations: files ksql-migrations accepts, made of `;`-terminated statements.

/** Topics created by `kafka-topics --create` in any command (orderflow creates its own with `topics`). */
export function createdTopics(compose: ComposeFile): string[] {
  const topics: string[] = [];
  for (const s of Object.values(compose.services)) {
    const words = [...asArgs(s.entrypoint), ...asArgs(s.command)].join(' ');
    if (!/kafka-topics/.test(words) || !/--create/.test(words)) continue;
    for (const m of words.matchAll(/--topic[ =](\S+)/g)) topics.push(m[1]!);
  }
  return topics;
}

export function propertiesFile(text: string): Vars {
  const props: Vars = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([^#!\s][^=:\s]*)\s*[=:]\s*(.*)$/.exec(line);
    if (m) props[m[1]!] = m[2]!.trim();
  }
  return props;
}
