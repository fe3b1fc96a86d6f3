/**
 * Static checks of how the Docker setup behaves once it runs, read against the images' own sources:
 * restarts, memory, line endings and SELinux labels of bind mounts, the Kafka listener the Docker host
 * reaches, the setup scripts' failure paths, what the live view watches, and what the docs promise.
 * Like compose-checks.ts, each is a pure function returning problems (empty = fine).
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ksqlStatements } from './compose-checks.ts';
import {
  asArgs,
  dependsOn,
  environmentOf,
  isOneShot,
  type ComposeFile,
  type Service,
} from './compose-model.ts';

const isHostPath = (source: string) => /^(\.{1,2}\/|\/|~)/.test(source) || source === '.';

/** A service's bind mounts: host source, container target, options (`ro`, `z`, ...). */
export function bindMounts(s: Service): { source: string; target: string; options: string[] }[] {
  const mounts: { source: string; target: string; options: string[] }[] = [];
  for (const v of s.volumes ?? []) {
    if (typeof v === 'string') {
      const [source = '', target = '', options = ''] = v.split(':');
      if (isHostPath(source)) mounts.push({ source, target, options: options.split(',').filter(Boolean) });
    } else if (v.type === 'bind' || (v.source !== undefined && isHostPath(v.source))) {
      const long = v as {
        source?: string;
        target?: string;
        read_only?: boolean;
        bind?: { selinux?: string };
      };
      const options = [...(long.read_only ? ['ro'] : []), ...(long.bind?.selinux ? [long.bind.selinux] : [])];
      mounts.push({ source: long.source ?? '', target: long.target ?? '', options });
    }
  }
  return mounts;
}

// ---------------------------------------------------------------------------------------------------
// Restarts: a long-running service comes back after a Docker or host restart.

/** `on-failure` and `no` leave a service down after the daemon restarts; these bring it back. */
const RESTARTS_AFTER_DAEMON_RESTART = ['always', 'unless-stopped'];

export function restartProblems(compose: ComposeFile): string[] {
  return Object.entries(compose.services)
    .filter(([, s]) => !isOneShot(s))
    .filter(([, s]) => !RESTARTS_AFTER_DAEMON_RESTART.includes(s.restart ?? 'no'))
    .map(
      ([name, s]) =>
        `${name}: restart ${s.restart ?? '(none)'} leaves it down after a Docker or host restart (use unless-stopped)`,
    );
}

// ---------------------------------------------------------------------------------------------------
// Memory: every JVM has a heap cap, and the documented total holds.

/** The variable each image's start script reads its JVM heap options from. */
export const JVM_HEAP_VARIABLES: { image: RegExp; variable: string }[] = [
  { image: /cp-kafka:|cp-kafka-connect:|^orderflow-connect:/, variable: 'KAFKA_HEAP_OPTS' },
  { image: /cp-schema-registry:/, variable: 'SCHEMA_REGISTRY_HEAP_OPTS' },
  { image: /cp-ksqldb-server:/, variable: 'KSQL_HEAP_OPTS' },
  { image: /kafbat\/kafka-ui:/, variable: 'JAVA_OPTS' },
];

/** -Xmx in MiB from JVM options, or undefined. */
export function maxHeapMiB(options: string | undefined): number | undefined {
  const m = /-Xmx(\d+)([kKmMgG]?)\b/.exec(options ?? '');
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  return unit === 'g' ? n * 1024 : unit === 'm' ? n : unit === 'k' ? n / 1024 : n / 1024 / 1024;
}

export function jvmHeapOf(s: Service): { variable: string; value: string | undefined } | undefined {
  const jvm = JVM_HEAP_VARIABLES.find((j) => j.image.test(s.image ?? ''));
  return jvm && { variable: jvm.variable, value: environmentOf(s)[jvm.variable] };
}

/** A health check that starts a JVM (a Kafka CLI tool or java itself). */
const healthcheckWords = (s: Service) => {
  const t = s.healthcheck?.test;
  return s.healthcheck?.disable || !t ? '' : (Array.isArray(t) ? t : [t]).join(' ');
};
const startsJvm = (words: string) => /(^|[\s;&|])(kafka-[a-z-]+|java)(\s|$)/.test(words);
/** The heap a JVM health check gives itself: KAFKA_HEAP_OPTS=... set in its own command. */
const healthcheckHeap = (words: string) =>
  maxHeapMiB(/KAFKA_HEAP_OPTS=("[^"]*"|'[^']*'|\S+)/.exec(words)?.[1]);

export const HEALTHCHECK_HEAP_MAX_MIB = 256;

export function heapProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, s] of Object.entries(compose.services)) {
    const heap = jvmHeapOf(s);
    if (heap && maxHeapMiB(heap.value) === undefined)
      problems.push(`${name}: a JVM without a heap cap (-Xmx in ${heap.variable})`);
    const words = healthcheckWords(s);
    if (startsJvm(words)) {
      const mib = healthcheckHeap(words);
      if (mib === undefined)
        problems.push(`${name}: its health check starts a JVM that inherits the service's heap settings`);
      else if (mib > HEALTHCHECK_HEAP_MAX_MIB)
        problems.push(`${name}: its health check's JVM may take ${mib} MiB every run`);
    }
  }
  return problems;
}

/** Estimates outside the heap caps, as docs/docker.md states them. */
export const MEMORY_ALLOWANCE_MIB = { jvmOverhead: 256, postgres: 256, nodeService: 256 };

/** The memory budget of everything that runs at once (profiles left out), in MiB. */
export function memoryBudget(compose: ComposeFile): { total: number; items: Record<string, number> } {
  const items: Record<string, number> = {};
  for (const [name, s] of Object.entries(compose.services)) {
    if ((s.profiles ?? []).length > 0) continue;
    const heap = jvmHeapOf(s);
    if (heap) items[name] = (maxHeapMiB(heap.value) ?? 0) + MEMORY_ALLOWANCE_MIB.jvmOverhead;
    else if ((s.image ?? '').startsWith('postgres:')) items[name] = MEMORY_ALLOWANCE_MIB.postgres;
    else if ((s.image ?? '').startsWith('orderflow:') && !isOneShot(s))
      items[name] = MEMORY_ALLOWANCE_MIB.nodeService;
    const words = healthcheckWords(s);
    if (startsJvm(words)) items[`${name} health check`] = healthcheckHeap(words) ?? 0;
  }
  return { total: Object.values(items).reduce((a, b) => a + b, 0), items };
}

/** The docs' figure ("about N GB of memory") holds the budget, and their table is the compose file's. */
export function memoryDocProblems(compose: ComposeFile, docs: string): string[] {
  const problems: string[] = [];
  const gb = Number(/about (\d+(?:\.\d+)?) GB of memory/.exec(docs)?.[1]);
  const { total } = memoryBudget(compose);
  if (!(gb > 0)) problems.push('docs: no "about N GB of memory" figure');
  else if (total > gb * 1024)
    problems.push(`docs: say about ${gb} GB of memory, the services' budget is ${total} MiB`);
  if (!docs.includes(`| ${total} MB |`)) problems.push(`docs: the memory table's total is not ${total} MB`);
  for (const [name, s] of Object.entries(compose.services)) {
    const flag = /-Xmx\S+/.exec(jvmHeapOf(s)?.value ?? '')?.[0];
    if (flag && !new RegExp(`\\| \`${name}\`[^\\n]*\`${flag}\``).test(docs))
      problems.push(`docs: the memory table does not give ${name} \`${flag}\``);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Bind mounts: LF line endings on every checkout (.gitattributes), SELinux labels.

/** The `eol` a path gets from .gitattributes (last matching line wins), or undefined. */
export function eolOf(gitattributes: string, file: string): string | undefined {
  let eol: string | undefined;
  const posix = file.split(path.sep).join('/');
  for (const raw of gitattributes.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [pattern = '', ...attrs] = line.split(/\s+/);
    const glob = pattern.replace(/^\//, '');
    const subject = glob.includes('/') ? posix : path.posix.basename(posix);
    const re = new RegExp(
      `^${glob
        .split('**')
        .map((part) =>
          part
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')
            .replace(/\?/g, '[^/]'),
        )
        .join('.*')}$`,
    );
    if (!re.test(subject)) continue;
    for (const a of attrs) {
      if (a.startsWith('eol=')) eol = a.slice(4);
      else if (a === 'binary' || a === '-text') eol = undefined;
    }
  }
  return eol;
}

/** Every file under the compose file's bind mounts, relative to the root (docs left out). */
export function boundFiles(compose: ComposeFile, root: string): string[] {
  const files = new Set<string>();
  const walk = (rel: string) => {
    const abs = path.resolve(root, rel);
    if (statSync(abs).isDirectory()) {
      for (const entry of readdirSync(abs)) walk(path.join(rel, entry));
    } else if (!rel.endsWith('.md')) files.add(path.normalize(rel));
  };
  for (const s of Object.values(compose.services)) for (const m of bindMounts(s)) walk(m.source);
  return [...files].sort();
}

export function lineEndingProblems(gitattributes: string | undefined, files: string[]): string[] {
  if (gitattributes === undefined) return ['no .gitattributes: bind-mounted scripts get CRLF on Windows'];
  return files
    .filter((f) => eolOf(gitattributes, f) !== 'lf')
    .map((f) => `${f}: bind-mounted, but .gitattributes does not check it out with eol=lf`);
}

export function selinuxProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, s] of Object.entries(compose.services)) {
    for (const m of bindMounts(s)) {
      if (!m.options.some((o) => o === 'z' || o === 'Z'))
        problems.push(`${name}: bind mount ${m.source} without :z, unreadable on SELinux hosts`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Kafka: the advertised address for the Docker host is the one its port is published on.

export function advertisedListenerProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, s] of Object.entries(compose.services)) {
    const env = environmentOf(s);
    const listeners = env.KAFKA_LISTENERS;
    const advertised = env.KAFKA_ADVERTISED_LISTENERS;
    if (!listeners || !advertised) continue;
    const containerPort = new Map<string, number>();
    for (const m of listeners.matchAll(/([A-Z_]+):\/\/[^:,]*:(\d+)/g)) containerPort.set(m[1]!, Number(m[2]));
    const published = (s.ports ?? []).map((p) => {
      if (typeof p === 'object')
        return { hostIp: p.host_ip, hostPort: Number(p.published), target: p.target };
      const parts = String(p).split(':');
      return parts.length === 3
        ? { hostIp: parts[0], hostPort: Number(parts[1]), target: Number(parts[2]) }
        : { hostIp: undefined, hostPort: Number(parts[0]), target: Number(parts[parts.length - 1]) };
    });
    for (const m of advertised.matchAll(/([A-Z_]+):\/\/([^:,]+):(\d+)/g)) {
      const [, listener, host, port] = m as unknown as [string, string, string, string];
      const publish = published.find((p) => p.target === containerPort.get(listener));
      if (!publish) continue;
      if (publish.hostIp && host !== publish.hostIp)
        problems.push(
          `${name}: advertises ${listener}://${host}:${port}, but the port is published on ${publish.hostIp} only`,
        );
      if (Number(port) !== publish.hostPort)
        problems.push(
          `${name}: advertises ${listener} on port ${port}, but it is published on ${publish.hostPort}`,
        );
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Setup services: their failure reaches `docker compose up`, and ksql-migrations fails only for cause.

/** A one-shot nothing waits for can fail while `docker compose up -d` reports success. */
export function unawaitedSetupProblems(compose: ComposeFile): string[] {
  const awaited = new Set<string>();
  for (const s of Object.values(compose.services))
    for (const [target, condition] of Object.entries(dependsOn(s)))
      if (condition === 'service_completed_successfully') awaited.add(target);
  return Object.entries(compose.services)
    .filter(([name, s]) => isOneShot(s) && (s.profiles ?? []).length === 0 && !awaited.has(name))
    .map(
      ([name]) =>
        `${name}: no service waits for it to complete, so \`docker compose up -d\` hides its failure`,
    );
}

/**
 * compose/ksql/apply-migrations.sh: `initialize-metadata` (which creates the stream and the table
 * without IF NOT EXISTS) must not run just because `info` failed; the script decides from whether the
 * metadata stream and table exist, and stops non-zero otherwise.
 */
export function migrationScriptProblems(script: string): string[] {
  const problems: string[] = [];
  const code = script
    .split('\n')
    .filter((l) => !l.trim().startsWith('#'))
    .join('\n');
  if (!/^\s*set -[a-z]*e/m.test(code)) problems.push('apply-migrations.sh: no `set -e`');
  for (const m of code.matchAll(/\bif\s+([^\n]*?);\s*then([\s\S]*?)\n\s*fi\b/g)) {
    if (/\binfo\b/.test(m[1]!) && /initialize-metadata/.test(m[2]!))
      problems.push('apply-migrations.sh: runs initialize-metadata whenever `info` fails, for any reason');
  }
  if (/\binfo\b[^\n]*\|\|[^\n]*initialize-metadata/.test(code))
    problems.push('apply-migrations.sh: runs initialize-metadata whenever `info` fails, for any reason');
  for (const key of ['ksql.migrations.stream.name', 'ksql.migrations.table.name']) {
    if (!code.includes(key))
      problems.push(`apply-migrations.sh: does not look for the metadata object named by ${key}`);
  }
  if (!/\bexit 1\b/.test(code)) problems.push('apply-migrations.sh: has no failing exit');
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// The live view watches the consumer groups that do the split on this stack.

const SPLIT_INPUTS = ['finished_orders', 'failed_orders'];
const identifier = (raw: string) => (raw.startsWith('`') ? raw.slice(1, -1) : raw.toUpperCase());

/**
 * ksqlDB's persistent queries that read the split's input topics, as the prefix of their consumer
 * group: `_confluent-ksql-<ksql.service.id><persistent prefix, query_><query id>`, the query id being
 * QUERY_ID when given, else CSAS_/CTAS_<sink name>_<n> or INSERTQUERY_<n> (n: ksqlDB's command number).
 */
export function ksqlSplitGroups(
  migrations: { text: string }[],
  ksqlEnv: Record<string, string>,
): { query: string; group: string; exact: boolean }[] {
  const serviceId = ksqlEnv.KSQL_KSQL_SERVICE_ID ?? 'default_';
  const prefix = `_confluent-ksql-${serviceId}${ksqlEnv.KSQL_KSQL_PERSISTENT_QUERY_NAME_PREFIX ?? 'query_'}`;
  const statements = migrations.flatMap((m) => ksqlStatements(m.text).statements);
  const sources = new Set<string>();
  for (const st of statements) {
    const m = /^CREATE\s+(?:OR\s+REPLACE\s+)?STREAM\s+(?:IF\s+NOT\s+EXISTS\s+)?(`[^`]+`|\w+)/i.exec(st);
    const topic = /KAFKA_TOPIC\s*=\s*'([^']+)'/i.exec(st)?.[1];
    if (m && topic && SPLIT_INPUTS.includes(topic) && !/\bAS\s+SELECT\b/i.test(st))
      sources.add(identifier(m[1]!));
  }
  const groups: { query: string; group: string; exact: boolean }[] = [];
  for (const st of statements) {
    const from = /\bFROM\s+(`[^`]+`|\w+)/i.exec(st)?.[1];
    if (!from || !sources.has(identifier(from))) continue;
    const queryId = /QUERY_ID\s*=\s*'([^']+)'/i.exec(st)?.[1];
    const create =
      /^CREATE\s+(?:OR\s+REPLACE\s+)?(STREAM|TABLE)\s+(?:IF\s+NOT\s+EXISTS\s+)?(`[^`]+`|\w+)[\s\S]*\bAS\s+SELECT\b/i.exec(
        st,
      );
    if (queryId)
      groups.push({ query: queryId.toUpperCase(), group: prefix + queryId.toUpperCase(), exact: true });
    else if (create) {
      const id = `${create[1]!.toUpperCase() === 'TABLE' ? 'CTAS' : 'CSAS'}_${create[2]!.replaceAll('`', '').toUpperCase()}_`;
      groups.push({ query: `${id}<n>`, group: prefix + id, exact: false });
    } else if (/^INSERT\s+INTO\b/i.test(st))
      groups.push({ query: 'INSERTQUERY_<n>', group: `${prefix}INSERTQUERY_`, exact: false });
  }
  return groups;
}

export function splitGroupProblems(compose: ComposeFile, migrations: { text: string }[]): string[] {
  const services = Object.entries(compose.services);
  const commandOf = (s: Service) => asArgs(s.command).join(' ');
  const dashboard = services.find(
    ([, s]) => (s.image ?? '').startsWith('orderflow:') && commandOf(s) === 'dashboard',
  );
  if (!dashboard) return [];
  const runsSplitter = services.some(
    ([, s]) => (s.image ?? '').startsWith('orderflow:') && /^split\b/.test(commandOf(s)),
  );
  const patterns = (environmentOf(dashboard[1]).ORDERFLOW_DASHBOARD_SPLIT_GROUPS ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (runsSplitter) return [];
  const ksql = services.find(([, s]) => /cp-ksqldb-server:/.test(s.image ?? '') && !isOneShot(s));
  if (!ksql) return [`${dashboard[0]}: neither the splitter nor ksqlDB does the split`];
  const expected = ksqlSplitGroups(migrations, environmentOf(ksql[1]));
  const problems: string[] = [];
  if (expected.length === 0)
    problems.push('ksql/migrations: no query reads finished_orders or failed_orders');
  if (patterns.length === 0)
    problems.push(
      `${dashboard[0]}: the live view watches the orderflow-splitter group, but ksqlDB does the split here (set ORDERFLOW_DASHBOARD_SPLIT_GROUPS)`,
    );
  const covers = (p: string, e: { group: string; exact: boolean }) =>
    p.endsWith('*') ? e.group.startsWith(p.slice(0, -1)) : e.exact && p === e.group;
  for (const e of expected)
    if (patterns.length > 0 && !patterns.some((p) => covers(p, e)))
      problems.push(
        `${dashboard[0]}: ORDERFLOW_DASHBOARD_SPLIT_GROUPS misses ${e.query} (group ${e.group}${e.exact ? '' : '<n>'})`,
      );
  for (const p of patterns)
    if (!expected.some((e) => covers(p, e)))
      problems.push(`${dashboard[0]}: ORDERFLOW_DASHBOARD_SPLIT_GROUPS has ${p}, which no split query uses`);
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// docs/docker.md: queries use the schema's enum symbols, commands show what they say they show,
// and unbounded retention is said.

/** Enum fields of Avro schemas by field name (lower case), with their symbols. */
export function avroEnums(schemas: unknown[]): Map<string, string[]> {
  const enums = new Map<string, string[]>();
  const enumOf = (t: unknown): string[] | undefined => {
    if (Array.isArray(t)) return t.map(enumOf).find(Boolean);
    if (t && typeof t === 'object' && (t as { type?: unknown }).type === 'enum')
      return (t as { symbols: string[] }).symbols;
    return undefined;
  };
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as { name?: unknown; type?: unknown; fields?: unknown };
    if (typeof o.name === 'string' && o.type !== undefined) {
      const symbols = enumOf(o.type);
      if (symbols && o.fields === undefined) enums.set(o.name.toLowerCase(), symbols);
    }
    Object.values(o).forEach(walk);
  };
  schemas.forEach(walk);
  return enums;
}

export function docEnumProblems(markdown: string, enums: Map<string, string[]>): string[] {
  const problems: string[] = [];
  for (const block of markdown.matchAll(/```sql\n([\s\S]*?)```/g)) {
    for (const m of block[1]!.matchAll(/`?(\w+)`?\s*(?:=|!=|<>)\s*'([^']*)'/g)) {
      const symbols = enums.get(m[1]!.toLowerCase());
      if (symbols && !symbols.includes(m[2]!))
        problems.push(
          `docs: ${m[1]} = '${m[2]}' never matches: the enum's symbols are ${symbols.join(', ')}`,
        );
    }
  }
  return problems;
}

/** `docker compose ps` leaves exited containers out: with one-shot services, the docs need `-a`. */
export function psProblems(markdown: string, compose: ComposeFile): string[] {
  if (!Object.values(compose.services).some(isOneShot)) return [];
  return [...markdown.matchAll(/docker compose ps\b([^`\n]*)/g)]
    .filter((m) => !/(^|\s)(-a|--all)\b/.test(m[1]!))
    .map((m) => `docs: "${m[0].trim()}" does not list the exited setup services (add -a)`);
}

export function retentionUnbounded(kafkaEnv: Record<string, string>): boolean {
  const time = ['KAFKA_LOG_RETENTION_MS', 'KAFKA_LOG_RETENTION_MINUTES', 'KAFKA_LOG_RETENTION_HOURS']
    .map((k) => kafkaEnv[k])
    .find((v) => v !== undefined);
  const bytes = Number(kafkaEnv.KAFKA_LOG_RETENTION_BYTES ?? '-1');
  return time === '-1' && !(bytes > 0);
}

export function retentionProblems(compose: ComposeFile, docs: string): string[] {
  const kafka = compose.services.kafka;
  if (!kafka || !retentionUnbounded(environmentOf(kafka))) return [];
  const liveGenerator = Object.entries(compose.services).find(
    ([, s]) =>
      (s.profiles ?? []).length === 0 &&
      !isOneShot(s) &&
      /^generate\b.*--mode live/.test(asArgs(s.command).join(' ')),
  );
  if (!liveGenerator) return [];
  const section = /^## Retention\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(docs)?.[1];
  if (!section)
    return [
      'docs: Kafka keeps every record and the live generator never stops, but no "## Retention" section says so',
    ];
  const problems: string[] = [];
  if (!/for ever|never deleted|without bound|grows/i.test(section))
    problems.push('docs: the Retention section does not say the data grows without bound');
  for (const command of [`docker compose stop ${liveGenerator[0]}`, 'docker compose down -v']) {
    if (!section.includes(command)) problems.push(`docs: the Retention section does not give \`${command}\``);
  }
  return problems;
}
