/**
 * docker-compose.yml as Compose itself would see it, without a Docker engine: the `.env` variables,
 * YAML with merge keys (`<<: *anchor`), then variable interpolation (`${VAR}`, `${VAR:-default}`,
 * `${VAR:?error}`, `$$`), as the Compose specification describes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const rootPath = (...parts: string[]) => path.join(ROOT, ...parts);

/** A volume source that is a path on the host (a bind mount), not a named volume. */
export const isHostPath = (source: string) => /^(\.{1,2}\/|\/|~)/.test(source) || source === '.';

export type Vars = Record<string, string>;

export interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
}

export interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, string> | string[] };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  env_file?: string | string[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  ports?: (string | number | { published?: string | number; host_ip?: string; target?: number })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: Healthcheck;
  restart?: string;
  profiles?: string[];
}

export interface ComposeFile {
  name?: string;
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
}

/** `.env` as Compose reads it: KEY=VALUE lines, `#` comments, optional surrounding quotes. */
export function parseDotEnv(text: string): Vars {
  const vars: Vars = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new Error(`.env: cannot read line ${JSON.stringify(raw)}`);
    let value = m[2]!;
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2]!;
    vars[m[1]!] = value;
  }
  return vars;
}

/**
 * Interpolate one string. Unset variables without a default are collected in `missing` (Compose
 * would warn and substitute an empty string); `${VAR:?msg}` on an unset variable is an error too.
 */
export function interpolate(text: string, vars: Vars, missing: string[] = []): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    if (next === '{') {
      const close = text.indexOf('}', i + 2);
      if (close < 0) throw new Error(`unterminated \${ in ${JSON.stringify(text)}`);
      const expr = text.slice(i + 2, close);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])(.*))?$/s.exec(expr);
      if (!m) throw new Error(`invalid interpolation \${${expr}} in ${JSON.stringify(text)}`);
      const [, name, op, arg = ''] = m;
      const value = vars[name!];
      const unsetOrEmpty = value === undefined || (op?.startsWith(':') && value === '');
      if (op === ':-' || op === '-') out += unsetOrEmpty ? arg : value;
      else if (op === ':+' || op === '+') out += unsetOrEmpty ? '' : arg;
      else if (op === ':?' || op === '?') {
        if (unsetOrEmpty) missing.push(`${name} (${arg})`);
        out += value ?? '';
      } else {
        if (value === undefined) missing.push(name!);
        out += value ?? '';
      }
      i = close;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
    if (m) {
      if (vars[m[0]] === undefined) missing.push(m[0]);
      out += vars[m[0]] ?? '';
      i += m[0].length;
      continue;
    }
    out += c;
  }
  return out;
}

/** Interpolate every string value (not the keys) of a parsed document. */
export function interpolateTree<T>(node: T, vars: Vars, missing: string[]): T {
  if (typeof node === 'string') return interpolate(node, vars, missing) as T;
  if (Array.isArray(node)) return node.map((n: unknown) => interpolateTree(n, vars, missing)) as T;
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [k, interpolateTree(v as unknown, vars, missing)]),
    ) as T;
  }
  return node;
}

export function parseCompose(yamlText: string, vars: Vars): { compose: ComposeFile; missing: string[] } {
  const doc = parse(yamlText, { merge: true }) as unknown;
  if (!doc || typeof doc !== 'object' || !('services' in doc)) {
    throw new Error('docker-compose.yml has no services');
  }
  const missing: string[] = [];
  const compose = interpolateTree(doc as ComposeFile, vars, missing);
  return { compose, missing };
}

/** The repository's docker-compose.yml with its .env. */
export function loadRepoCompose(): { compose: ComposeFile; vars: Vars; missing: string[]; yamlText: string } {
  const vars = parseDotEnv(readFileSync(rootPath('.env'), 'utf8'));
  const yamlText = readFileSync(rootPath('docker-compose.yml'), 'utf8');
  return { ...parseCompose(yamlText, vars), vars, yamlText };
}

/** environment as a map, whichever of the two Compose forms it is written in. */
export function environmentOf(service: Service): Record<string, string> {
  const env = service.environment;
  if (!env) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((e) => {
        const at = e.indexOf('=');
        return at < 0 ? [e, ''] : [e.slice(0, at), e.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

export function dependsOn(service: Service): Record<string, string> {
  const d = service.depends_on;
  if (!d) return {};
  if (Array.isArray(d)) return Object.fromEntries(d.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(d).map(([name, v]) => [name, v.condition ?? 'service_started']));
}

export function asArgs(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : value.split(/\s+/).filter(Boolean);
}

/** A one-shot service: runs once and exits (never restarted). */
export function isOneShot(service: Service): boolean {
  return service.restart === 'no';
}
