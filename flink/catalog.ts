import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FLINK_DIR = fileURLToPath(new URL('.', import.meta.url));
const SCHEMAS_DIR = fileURLToPath(new URL('../schemas/', import.meta.url));

export interface CatalogParams {
  prefix: string;
  bootstrap: string;
  /** The registry's Confluent-compatible API, e.g. http://127.0.0.1:8081/apis/ccompat/v7. */
  registry: string;
}

/** A SQL string literal's content: single quotes doubled. */
function sqlString(s: string): string {
  return s.replaceAll("'", "''");
}

/**
 * A flink/*.sql file with its placeholders filled: {{prefix}}, {{bootstrap}}, {{registry}} and
 * {{schema:<file under schemas/>}} (the schema as compact JSON, quotes doubled for a SQL literal).
 */
export function renderSql(text: string, p: CatalogParams): string {
  return text.replace(/\{\{(prefix|bootstrap|registry|schema:[^}]+)\}\}/g, (_m, name: string) => {
    if (name === 'prefix') return sqlString(p.prefix);
    if (name === 'bootstrap') return sqlString(p.bootstrap);
    if (name === 'registry') return sqlString(p.registry);
    const file = name.slice('schema:'.length);
    const schema = JSON.stringify(JSON.parse(readFileSync(`${SCHEMAS_DIR}${file}`, 'utf8')));
    return sqlString(schema);
  });
}

export function readFlinkSql(name: 'catalog.sql' | 'split.sql'): string {
  return readFileSync(`${FLINK_DIR}${name}`, 'utf8');
}

/** The catalog's statements, rendered, one string each. */
export function catalogStatements(p: CatalogParams): string[] {
  return splitStatements(renderSql(readFlinkSql('catalog.sql'), p)).map((s) => s.text);
}

/** A statement set (EXECUTE STATEMENT SET BEGIN ...; ...; END) keeps its inner semicolons. */
function insideStatementSet(piece: string): boolean {
  const code = piece
    .replace(/--[^\n]*/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .trim();
  return /^(EXECUTE\s+)?STATEMENT\s+SET\s+BEGIN\b/i.test(code) && !/\bEND$/i.test(code);
}

export interface Statement {
  text: string;
  /** 1-based line in the script where the statement starts. */
  line: number;
}

/**
 * Split a SQL script into statements at `;` outside string literals ('...'), quoted identifiers
 * (`...` and "...") and comments (-- and /* *\/). Comment-only pieces are dropped.
 */
export function splitStatements(script: string): Statement[] {
  const out: Statement[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number) => {
    const raw = script.slice(start, end);
    const meaningful = raw.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
    if (meaningful.trim() !== '') {
      const lead = raw.length - raw.trimStart().length;
      const line = script.slice(0, start + lead).split('\n').length;
      out.push({ text: raw.trim(), line });
    }
  };
  while (i < script.length) {
    const c = script[i]!;
    if (c === '-' && script[i + 1] === '-') {
      const nl = script.indexOf('\n', i);
      i = nl === -1 ? script.length : nl + 1;
    } else if (c === '/' && script[i + 1] === '*') {
      const end = script.indexOf('*/', i + 2);
      i = end === -1 ? script.length : end + 2;
    } else if (c === "'" || c === '`' || c === '"') {
      let j = i + 1;
      while (j < script.length) {
        if (script[j] === c) {
          if (script[j + 1] === c) j += 2;
          else break;
        } else j += 1;
      }
      i = j + 1;
    } else if (c === ';' && !insideStatementSet(script.slice(start, i))) {
      push(i);
      i += 1;
      start = i;
    } else i += 1;
  }
  push(script.length);
  return out;
}
