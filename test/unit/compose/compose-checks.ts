/**
 * Static checks of the Docker setup. Each check is a pure function returning a list of problems
 * (empty = fine), so the tests can run it on the real files and on deliberately broken copies.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import {
  asArgs,
  dependsOn,
  environmentOf,
  isOneShot,
  type ComposeFile,
  type Service,
  type Vars,
} from './compose-model.ts';

// ---------------------------------------------------------------------------------------------------
// The Compose specification's JSON schema (vendored in compose/compose-spec.json).

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

export function buildOf(service: Service): { context: string; dockerfile: string; args: Vars } | undefined {
  const b = service.build;
  if (b === undefined) return undefined;
  if (typeof b === 'string') return { context: b, dockerfile: 'Dockerfile', args: {} };
  const args: Vars = {};
  if (Array.isArray(b.args)) {
    for (const a of b.args) {
      const at = a.indexOf('=');
      if (at > 0) args[a.slice(0, at)] = a.slice(at + 1);
    }
  } else Object.assign(args, b.args ?? {});
  return { context: b.context ?? '.', dockerfile: b.dockerfile ?? 'Dockerfile', args };
}

const isHostPath = (source: string) => /^(\.{1,2}\/|\/|~)/.test(source) || source === '.';

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

/** An image reference carries an explicit tag (or digest) that is not a moving "latest". */
export function unpinnedReason(image: string): string | undefined {
  if (image.includes('@sha256:')) return undefined;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return 'has no tag';
  const tag = image.slice(colon + 1);
  if (tag === '' || tag.includes('${') || tag.startsWith('$')) return 'has an unresolved tag';
  if (/latest/i.test(tag)) return `is tagged ${tag}`;
  if (!/\d/.test(tag)) return `tag ${tag} names no version`;
  return undefined;
}

export interface Dockerfile {
  /** ARG defaults in order of appearance (later ones win), global and per stage alike. */
  argDefaults: Vars;
  /** FROM image references as written, with their stage aliases. */
  froms: { image: string; alias?: string }[];
}

export function parseDockerfile(text: string): Dockerfile {
  const argDefaults: Vars = {};
  const froms: Dockerfile['froms'] = [];
  const logical = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const line of logical) {
    const arg = /^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?/i.exec(line);
    if (arg && arg[2] !== undefined) argDefaults[arg[1]!] = arg[2].replace(/^(['"])(.*)\1$/, '$2');
    const from = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) froms.push({ image: from[1]!, alias: from[2] });
  }
  return { argDefaults, froms };
}

export function resolveArgs(text: string, values: Vars): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, a?: string, b?: string) => {
      const v = values[(a ?? b)!];
      return v === undefined ? whole : v;
    },
  );
}

export function imageProblems(
  compose: ComposeFile,
  dockerfiles: Record<string, { text: string; buildArgs: Vars }>,
): string[] {
  const problems: string[] = [];
  for (const [name, s] of Object.entries(compose.services)) {
    if (s.image === undefined && s.build === undefined) problems.push(`${name}: neither image nor build`);
    if (s.image !== undefined) {
      const why = unpinnedReason(s.image);
      if (why) problems.push(`${name}: image ${s.image} ${why}`);
    }
  }
  for (const [file, { text, buildArgs }] of Object.entries(dockerfiles)) {
    const df = parseDockerfile(text);
    const stages = new Set<string>();
    for (const from of df.froms) {
      const image = resolveArgs(from.image, { ...df.argDefaults, ...buildArgs });
      if (!stages.has(image)) {
        const why = unpinnedReason(image);
        if (why) problems.push(`${file}: FROM ${from.image} (${image}) ${why}`);
      }
      if (from.alias) stages.add(from.alias);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// One source of versions: .env agrees with stack/pom.xml, package.json and the Dockerfiles' defaults.

export function pomProperties(pomXml: string): Vars {
  const block = /<properties>([\s\S]*?)<\/properties>/.exec(pomXml)?.[1] ?? '';
  const props: Vars = {};
  for (const m of block.matchAll(/<([A-Za-z0-9_.-]+)>([^<]*)<\/\1>/g)) props[m[1]!] = m[2]!.trim();
  return props;
}

const minorOf = (version: string) => /^(\d+)\.(\d+)/.exec(version);

export function versionProblems(
  vars: Vars,
  pom: Vars,
  pkg: { version: string; engines?: { node?: string } },
  dockerfileDefaults: Record<string, Vars>,
): string[] {
  const problems: string[] = [];
  const same = (what: string, a: string | undefined, b: string | undefined) => {
    if (a === undefined || b === undefined || a !== b) problems.push(`${what}: ${a} != ${b}`);
  };
  same(
    '.env DEBEZIUM_JDBC_VERSION vs stack/pom.xml debezium.version',
    vars.DEBEZIUM_JDBC_VERSION,
    pom['debezium.version'],
  );
  same(
    '.env MAVEN_DEPENDENCY_PLUGIN_VERSION vs stack/pom.xml dependency.plugin.version',
    vars.MAVEN_DEPENDENCY_PLUGIN_VERSION,
    pom['dependency.plugin.version'],
  );
  // Confluent Platform 8.N is built on Apache Kafka 4.N (as 7.N was on 3.N).
  const cp = minorOf(vars.CP_VERSION ?? '');
  const kafka = minorOf(pom['kafka.version'] ?? '');
  if (!cp || !kafka)
    problems.push(`CP_VERSION ${vars.CP_VERSION} or kafka.version ${pom['kafka.version']} unreadable`);
  else if (Number(cp[1]) !== Number(kafka[1]) + 4 || cp[2] !== kafka[2]) {
    problems.push(
      `.env CP_VERSION ${vars.CP_VERSION} ships Kafka ${Number(cp[1]) - 4}.${cp[2]}, the local stack pins Kafka ${pom['kafka.version']}`,
    );
  }
  same('.env ORDERFLOW_IMAGE_TAG vs package.json version', vars.ORDERFLOW_IMAGE_TAG, pkg.version);
  const nodeMajor = Number(/^(\d+)\./.exec(vars.NODE_VERSION ?? '')?.[1]);
  const engineMajor = Number(/(\d+)/.exec(pkg.engines?.node ?? '')?.[1]);
  if (nodeMajor !== 24) problems.push(`.env NODE_VERSION ${vars.NODE_VERSION} is not Node 24`);
  if (!(nodeMajor >= engineMajor))
    problems.push(`.env NODE_VERSION ${vars.NODE_VERSION} below engines ${pkg.engines?.node}`);
  for (const [file, defaults] of Object.entries(dockerfileDefaults)) {
    for (const [arg, value] of Object.entries(defaults)) {
      if (vars[arg] !== undefined && vars[arg] !== value) {
        problems.push(`${file}: ARG ${arg} defaults to ${value}, .env says ${vars[arg]}`);
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Health checks and start order.

export function healthProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  const services = compose.services;
  const hasHealthcheck = (s: Service) => !!s.healthcheck && !s.healthcheck.disable && !!s.healthcheck.test;
  for (const [name, s] of Object.entries(services)) {
    if (!isOneShot(s) && !hasHealthcheck(s))
      problems.push(`${name}: long-running service without a healthcheck`);
    for (const [target, condition] of Object.entries(dependsOn(s))) {
      const t = services[target];
      if (!t) {
        problems.push(`${name}: depends on unknown service ${target}`);
        continue;
      }
      if (condition === 'service_healthy' && !hasHealthcheck(t)) {
        problems.push(`${name}: waits for ${target} to be healthy, but ${target} has no healthcheck`);
      } else if (condition === 'service_completed_successfully' && !isOneShot(t)) {
        problems.push(`${name}: waits for ${target} to complete, but ${target} is restarted (not one-shot)`);
      } else if (condition !== 'service_healthy' && condition !== 'service_completed_successfully') {
        problems.push(`${name}: depends on ${target} with condition ${condition} (use healthy or completed)`);
      }
    }
  }
  // No cycles.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      problems.push(`dependency cycle: ${[...trail, name].join(' -> ')}`);
      return;
    }
    state.set(name, 'visiting');
    for (const target of Object.keys(dependsOn(services[name] ?? {})))
      if (services[target]) visit(target, [...trail, name]);
    state.set(name, 'done');
  };
  for (const name of Object.keys(services)) visit(name, []);
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Published ports: only what a user opens, and only on the loopback interface.

export function portProblems(compose: ComposeFile, allowed: readonly string[]): string[] {
  const problems: string[] = [];
  for (const [name, s] of Object.entries(compose.services)) {
    for (const p of s.ports ?? []) {
      if (!allowed.includes(name))
        problems.push(`${name}: publishes ${JSON.stringify(p)}, not a user-facing port`);
      const hostIp = typeof p === 'object' ? p.host_ip : /^(\d+\.\d+\.\d+\.\d+):\d+:\d+/.exec(String(p))?.[1];
      if (hostIp !== '127.0.0.1') problems.push(`${name}: publishes ${JSON.stringify(p)} on all interfaces`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Kafka broker settings: the same as the local stack's server.properties (stack/components.ts).

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

const IMAGE_DEFAULT_PORTS: Record<string, number[]> = {
  postgres: [5432],
  'kafbat/kafka-ui': [8080],
  // compose/ftp: vsftpd's control port (vsftpd.conf's listen_port default).
  'orderflow-ftp': [21],
};

export function listeningPorts(name: string, s: Service): Set<number> {
  const ports = new Set<number>();
  for (const [key, value] of Object.entries(environmentOf(s))) {
    if (/LISTENERS$/.test(key) && !/ADVERTISED/.test(key)) {
      for (const m of value.matchAll(/:(\d+)(?=,|$|\/)/g)) ports.add(Number(m[1]));
    }
    if (['ORDERFLOW_HTTP_PORT', 'ORDERFLOW_DASHBOARD_PORT', 'ORDERFLOW_API_PORT'].includes(key))
      ports.add(Number(value));
  }
  // Flink (FLINK_PROPERTIES, one `key: value` a line): the ports of the role its command starts;
  // the other keys there are addresses it connects to.
  const command = Array.isArray(s.command) ? s.command.join(' ') : String(s.command ?? '');
  const role = /sql-gateway/.test(command)
    ? ['sql-gateway.endpoint.rest.port']
    : command === 'jobmanager'
      ? ['rest.port', 'jobmanager.rpc.port']
      : command === 'taskmanager'
        ? ['taskmanager.rpc.port']
        : [];
  for (const line of (environmentOf(s).FLINK_PROPERTIES ?? '').split('\n')) {
    const m = /^\s*([\w.-]+):\s*(\d+)\s*$/.exec(line);
    if (m && role.includes(m[1]!)) ports.add(Number(m[2]));
  }
  for (const m of command.matchAll(/-Dsql-gateway\.endpoint\.rest\.port=(\d+)/g)) ports.add(Number(m[1]));
  for (const [image, list] of Object.entries(IMAGE_DEFAULT_PORTS)) {
    if ((s.image ?? '').includes(image) || name === image) list.forEach((p) => ports.add(p));
  }
  return ports;
}

export function addressProblems(
  compose: ComposeFile,
  extra: { where: string; value: string }[] = [],
): string[] {
  const problems: string[] = [];
  const names = Object.keys(compose.services);
  const ports = new Map(names.map((n) => [n, listeningPorts(n, compose.services[n]!)]));
  const values: { where: string; value: string }[] = [...extra];
  for (const [name, s] of Object.entries(compose.services)) {
    for (const [key, value] of Object.entries(environmentOf(s))) {
      if (/ADVERTISED|^KAFKA_LISTENERS$|_LISTENERS$|QUORUM_VOTERS/.test(key)) continue;
      values.push({ where: `${name} ${key}`, value });
    }
  }
  for (const { where, value } of values) {
    for (const m of value.matchAll(/(?:^|[/@,])([a-z][a-z0-9-]*):(\d+)/g)) {
      const host = m[1]!;
      const port = Number(m[2]);
      if (!ports.has(host)) {
        if (!['localhost', 'http', 'https', 'postgres'].includes(host))
          problems.push(`${where}: ${host} is not a service`);
        continue;
      }
      if (!ports.get(host)!.has(port)) {
        problems.push(
          `${where}: ${host}:${port}, but ${host} listens on ${[...ports.get(host)!].join(', ') || 'nothing known'}`,
        );
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// orderflow services: settings they are given exist, commands they run.

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

const KSQL_STATEMENT =
  /^(CREATE|SET|UNSET|INSERT|DROP|ALTER|DEFINE|UNDEFINE|TERMINATE|PAUSE|RESUME|ASSERT)\b/i;

/** Split ksqlDB SQL into statements: `--` comments removed, `;` inside quotes or backticks kept. */
export function ksqlStatements(text: string): { statements: string[]; trailing: string } {
  const statements: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      current += c;
      if (c === quote) {
        if (text[i + 1] === quote) current += text[++i];
        else quote = undefined;
      }
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end - 1;
      continue;
    }
    if (c === "'" || c === '`' || c === '"') quote = c;
    if (c === ';') {
      statements.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  if (quote) return { statements, trailing: `unterminated ${quote} quote` };
  return { statements, trailing: current.trim() };
}

export function ksqlMigrationProblems(files: { name: string; text: string }[]): string[] {
  const problems: string[] = [];
  if (files.length === 0) problems.push('no ksql migration files');
  const versions = new Set<string>();
  for (const { name, text } of files) {
    const m = /^V(\d{6})__\w+\.sql$/.exec(name);
    if (!m) problems.push(`${name}: not named V<6 digits>__<name>.sql as ksql-migrations requires`);
    else if (versions.has(m[1]!)) problems.push(`${name}: version ${m[1]} used twice`);
    else versions.add(m[1]!);
    const { statements, trailing } = ksqlStatements(text);
    if (trailing !== '') problems.push(`${name}: text after the last ";": ${trailing.slice(0, 60)}`);
    if (!statements.some((s) => /^(CREATE|INSERT)/i.test(s)))
      problems.push(`${name}: no CREATE or INSERT statement`);
    for (const s of statements) {
      if (s === '') problems.push(`${name}: an empty statement (";;")`);
      else if (!KSQL_STATEMENT.test(s))
        problems.push(`${name}: statement does not start with a ksqlDB verb: ${s.slice(0, 60)}`);
    }
  }
  return problems;
}

/** KAFKA_TOPIC names the migrations read or write. */
export function ksqlTopics(files: { text: string }[]): string[] {
  return files.flatMap(({ text }) => [...text.matchAll(/KAFKA_TOPIC\s*=\s*'([^']+)'/gi)].map((m) => m[1]!));
}

/** Pipeline topics must be ones orderflow creates; ksqlDB's own intermediate topics start with ksql_. */
export function topicProblems(topics: string[], pipelineTopics: string[]): string[] {
  return topics
    .filter((t) => !pipelineTopics.includes(t) && !t.startsWith('ksql_'))
    .map((t) => `topic ${t} is neither an orderflow topic (schemas/topics.ts) nor a ksql_ intermediate`);
}

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

/** A health check probes a port its own service listens on. */
export function healthcheckPortProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, s] of Object.entries(compose.services)) {
    const test = s.healthcheck?.test;
    if (!test || s.healthcheck?.disable) continue;
    const words = Array.isArray(test) ? test : [test];
    const ports: number[] = [];
    const script = words.findIndex((w) => w.endsWith('http-check.sh'));
    if (script >= 0) ports.push(Number(words[script + 1]));
    for (const w of words)
      for (const m of w.matchAll(/(?:127\.0\.0\.1|localhost|\b[a-z][a-z0-9-]*):(\d+)\b/g))
        ports.push(Number(m[1]));
    for (const m of words.join(' ').matchAll(/connect\((\d+),/g)) ports.push(Number(m[1]));
    for (const m of words.join(' ').matchAll(/\/dev\/tcp\/(?:127\.0\.0\.1|localhost)\/(\d+)/g))
      ports.push(Number(m[1]));
    const listening = listeningPorts(name, s);
    for (const port of ports) {
      // A check may also probe a port of another service it needs (the generator probes the broker).
      const elsewhere = Object.entries(compose.services).some(
        ([n, o]) => n !== name && listeningPorts(n, o).has(port),
      );
      if (!listening.has(port) && !elsewhere)
        problems.push(`${name}: health check probes port ${port}, which nothing listens on`);
    }
    if (ports.length === 0 && !words.some((w) => /pg_isready|kafka-broker-api-versions/.test(w))) {
      problems.push(`${name}: health check probes no port: ${words.join(' ')}`);
    }
  }
  return problems;
}
