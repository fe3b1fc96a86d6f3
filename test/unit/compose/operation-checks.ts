/**
 * Static checks of how the Docker setup behaves once it runs, read against the images' own sources:
 * restarts, the Kafka listener the Docker host reaches, the setup scripts' failure paths and what the
 * live view watches. Memory, bind mounts and docs/docker.md have checks of their own (memory-checks,
 * mount-checks, docker-docs-checks). Like compose-checks.ts, each is a pure function returning
 * problems (empty = fine).
 */
import {
  asArgs,
  dependsOn,
  environmentOf,
  isOneShot,
  type ComposeFile,
  type Service,
} from './compose-model.ts';
import { ksqlStatements } from './ksql-checks.ts';

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
  const add = (g: { query: string; group: string; exact: boolean }) => {
    // Two INSERT INTO queries share the pattern INSERTQUERY_<n>: one entry stands for both.
    if (!groups.some((e) => e.group === g.group && e.exact === g.exact)) groups.push(g);
  };
  for (const st of statements) {
    const dropped = /^DROP\s+(STREAM|TABLE)\s+(?:IF\s+EXISTS\s+)?(`[^`]+`|\w+)/i.exec(st);
    if (dropped) {
      // DROP ends the query that writes the stream (CREATE ... AS SELECT), so its group goes too.
      const id = `${dropped[1]!.toUpperCase() === 'TABLE' ? 'CTAS' : 'CSAS'}_${identifier(dropped[2]!).toUpperCase()}_`;
      const at = groups.findIndex((g) => !g.exact && g.group === prefix + id);
      if (at >= 0) groups.splice(at, 1);
      continue;
    }
    const from = /\bFROM\s+(`[^`]+`|\w+)/i.exec(st)?.[1];
    if (!from || !sources.has(identifier(from))) continue;
    const queryId = /QUERY_ID\s*=\s*'([^']+)'/i.exec(st)?.[1];
    const create =
      /^CREATE\s+(?:OR\s+REPLACE\s+)?(STREAM|TABLE)\s+(?:IF\s+NOT\s+EXISTS\s+)?(`[^`]+`|\w+)[\s\S]*\bAS\s+SELECT\b/i.exec(
        st,
      );
    if (queryId) add({ query: queryId.toUpperCase(), group: prefix + queryId.toUpperCase(), exact: true });
    else if (create) {
      const id = `${create[1]!.toUpperCase() === 'TABLE' ? 'CTAS' : 'CSAS'}_${create[2]!.replaceAll('`', '').toUpperCase()}_`;
      add({ query: `${id}<n>`, group: prefix + id, exact: false });
    } else if (/^INSERT\s+INTO\b/i.test(st))
      add({ query: 'INSERTQUERY_<n>', group: `${prefix}INSERTQUERY_`, exact: false });
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
