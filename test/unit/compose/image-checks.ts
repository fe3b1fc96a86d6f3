/**
 * Static checks of what the compose file builds and pulls: build contexts and Dockerfiles, pinned
 * images, and versions kept in one place and in line with the local stack. Pure: problems out.
 */
import type { ComposeFile, Service, Vars } from './compose-model.ts';

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
