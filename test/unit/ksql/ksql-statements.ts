/**
 * A small reader for the ksqlDB statements in ksql/migrations, just large enough for the statements
 * orderflow writes: SET, CREATE STREAM over a topic, CREATE STREAM ... AS SELECT (column lists with
 * aliases, struct dereference `->`, AS_VALUE, CONCAT, CAST(... AS STRING), EXPLODE, PARTITION BY),
 * INSERT INTO ... SELECT * and DROP STREAM (refused, as ksqlDB does, while another stream reads the
 * stream or an INSERT INTO writes it). Unquoted identifiers are upper-cased, as ksqlDB does, while
 * backticked identifiers keep their case. ksql-evaluation.ts runs what this reads; tests use both
 * to hold the statements against the Avro schemas and the splitter.
 */
import { readdirSync, readFileSync } from 'node:fs';

export type Expr =
  | { kind: 'column'; name: string; quoted: boolean }
  | { kind: 'string'; value: string }
  | { kind: 'deref'; base: Expr; field: string; quoted: boolean }
  | { kind: 'call'; fn: string; args: Expr[] }
  | { kind: 'cast'; arg: Expr; type: string }
  | { kind: 'star' };

export interface SelectItem {
  expr: Expr;
  /** The output column name (the alias, or the column's own name). */
  name: string;
  aliasQuoted: boolean;
  text: string;
}

export interface SourceStream {
  kind: 'source';
  name: string;
  file: string;
  keyColumn: string;
  with: Record<string, string>;
  settings: Record<string, string>;
}

export interface DerivedStream {
  kind: 'derived';
  name: string;
  file: string;
  with: Record<string, string>;
  settings: Record<string, string>;
  from: string;
  items: SelectItem[];
  partitionBy: Expr | null;
  partitionByText: string | null;
  /** Streams whose rows are also inserted into this one (INSERT INTO ... SELECT * FROM ...). */
  insertedFrom: string[];
}

export type Stream = SourceStream | DerivedStream;

export interface Row {
  key: string | null;
  value: Record<string, unknown>;
}

const IDENT = String.raw`(?:\`[^\`]+\`|[A-Za-z_][A-Za-z0-9_]*)`;

function unquote(ident: string): { name: string; quoted: boolean } {
  if (ident.startsWith('`')) return { name: ident.slice(1, -1), quoted: true };
  return { name: ident.toUpperCase(), quoted: false };
}

/** The statements of one migration file, comments removed, split at top-level semicolons. */
export function statementsOf(sql: string): string[] {
  const noComments = sql
    .split('\n')
    .map((line) => line.replace(/--.*$/, ''))
    .join('\n');
  return splitTopLevel(noComments, ';')
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s.length > 0);
}

/** Split at `sep` outside parentheses, quotes and backticks. */
export function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === sep && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function parseWith(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of splitTopLevel(body, ',')) {
    const m = /^\s*([A-Za-z_]+)\s*=\s*'([^']*)'\s*$/.exec(part);
    if (!m) throw new Error(`cannot read WITH property: ${part}`);
    out[m[1]!.toUpperCase()] = m[2]!;
  }
  return out;
}

/** Find the parenthesised body that starts at `open` (the index of "("). */
function parenBody(text: string, open: number): { body: string; end: number } {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') {
      depth--;
      if (depth === 0) return { body: text.slice(open + 1, i), end: i + 1 };
    }
  }
  throw new Error(`unbalanced parentheses in: ${text}`);
}

// ---- expressions ----

type Token = { t: 'ident'; v: string; quoted: boolean } | { t: 'str'; v: string } | { t: 'sym'; v: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(`[^`]+`)|'([^']*)'|(->|[(),*])|([A-Za-z_][A-Za-z0-9_]*))/y;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new Error(`cannot read expression at "${text.slice(pos)}"`);
    pos = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ t: 'ident', v: m[1].slice(1, -1), quoted: true });
    else if (m[2] !== undefined) tokens.push({ t: 'str', v: m[2] });
    else if (m[3] !== undefined) tokens.push({ t: 'sym', v: m[3] });
    else tokens.push({ t: 'ident', v: m[4]!, quoted: false });
  }
  return tokens;
}

export function parseExpr(text: string): Expr {
  const tokens = tokenize(text);
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const expectSym = (v: string): void => {
    const tok = tokens[i++];
    if (!tok || tok.t !== 'sym' || tok.v !== v) throw new Error(`expected "${v}" in ${text}`);
  };
  const primary = (): Expr => {
    const tok = tokens[i++];
    if (!tok) throw new Error(`unexpected end of expression: ${text}`);
    if (tok.t === 'str') return { kind: 'string', value: tok.v };
    if (tok.t === 'sym' && tok.v === '*') return { kind: 'star' };
    if (tok.t !== 'ident') throw new Error(`unexpected "${tok.v}" in ${text}`);
    const next = peek();
    if (!tok.quoted && next?.t === 'sym' && next.v === '(') {
      i++;
      const fn = tok.v.toUpperCase();
      if (fn === 'CAST') {
        const arg = expr();
        const as = tokens[i++];
        const type = tokens[i++];
        if (as?.t !== 'ident' || as.v.toUpperCase() !== 'AS' || type?.t !== 'ident') {
          throw new Error(`expected CAST(x AS TYPE) in ${text}`);
        }
        expectSym(')');
        return { kind: 'cast', arg, type: type.v.toUpperCase() };
      }
      const args: Expr[] = [];
      if (!(peek()?.t === 'sym' && peek()!.v === ')')) {
        args.push(expr());
        while (peek()?.t === 'sym' && peek()!.v === ',') {
          i++;
          args.push(expr());
        }
      }
      expectSym(')');
      return { kind: 'call', fn, args };
    }
    const { name, quoted } = tok.quoted ? { name: tok.v, quoted: true } : unquote(tok.v);
    return { kind: 'column', name, quoted };
  };
  const expr = (): Expr => {
    let e = primary();
    while (peek()?.t === 'sym' && peek()!.v === '->') {
      i++;
      const f = tokens[i++];
      if (!f || f.t !== 'ident') throw new Error(`expected a field after -> in ${text}`);
      const { name, quoted } = f.quoted ? { name: f.v, quoted: true } : unquote(f.v);
      e = { kind: 'deref', base: e, field: name, quoted };
    }
    return e;
  };
  const result = expr();
  if (i !== tokens.length) throw new Error(`unexpected trailing input in expression: ${text}`);
  return result;
}

function parseSelectItem(text: string): SelectItem {
  const m = new RegExp(String.raw`^(.*?)\s+AS\s+(${IDENT})$`, 'is').exec(text.trim());
  const exprText = (m ? m[1]! : text).trim();
  const expr = parseExpr(exprText);
  if (m) {
    const alias = unquote(m[2]!);
    return { expr, name: alias.name, aliasQuoted: alias.quoted, text: exprText };
  }
  if (expr.kind === 'column') return { expr, name: expr.name, aliasQuoted: expr.quoted, text: exprText };
  if (expr.kind === 'star') return { expr, name: '*', aliasQuoted: true, text: exprText };
  throw new Error(`select item needs an alias: ${text}`);
}

// ---- statements ----

/** Read every migration file (in version order) into streams, checking what this reader knows. */
export function readMigrations(dir: string): { files: string[]; streams: Map<string, Stream> } {
  const files = readdirSync(dir)
    .filter((f) => /^V\d{6}__[a-z0-9_]+\.sql$/.test(f))
    .sort();
  const streams = new Map<string, Stream>();
  for (const file of files) {
    const settings: Record<string, string> = {};
    for (const stmt of statementsOf(readFileSync(`${dir}/${file}`, 'utf8'))) {
      const set = /^SET '([^']+)' = '([^']*)'$/i.exec(stmt);
      if (set) {
        settings[set[1]!] = set[2]!;
        continue;
      }
      const insert = new RegExp(String.raw`^INSERT INTO (${IDENT}) SELECT \* FROM (${IDENT})$`, 'i').exec(
        stmt,
      );
      if (insert) {
        const target = streams.get(unquote(insert[1]!).name);
        if (!target || target.kind !== 'derived')
          throw new Error(`${file}: INSERT INTO unknown stream ${insert[1]}`);
        target.insertedFrom.push(unquote(insert[2]!).name);
        continue;
      }
      const drop = new RegExp(String.raw`^DROP STREAM (IF EXISTS )?(${IDENT})$`, 'i').exec(stmt);
      if (drop) {
        // As ksqlDB: the query writing the stream ends with it (its topic stays), but a stream that
        // other streams read, or that an INSERT INTO writes, cannot be dropped.
        const name = unquote(drop[2]!).name;
        const target = streams.get(name);
        if (!target) {
          if (drop[1]) continue;
          throw new Error(`${file}: DROP STREAM of unknown stream ${name}`);
        }
        const readers = [...streams.values()].filter(
          (s) => s.kind === 'derived' && (s.from === name || s.insertedFrom.includes(name)),
        );
        if (readers.length > 0)
          throw new Error(`${file}: cannot drop ${name}: read by ${readers.map((s) => s.name).join(', ')}`);
        if (target.kind === 'derived' && target.insertedFrom.length > 0)
          throw new Error(`${file}: cannot drop ${name}: an INSERT INTO query writes into it`);
        streams.delete(name);
        continue;
      }
      const create = new RegExp(String.raw`^CREATE STREAM (?:IF NOT EXISTS )?(${IDENT}) ?`, 'i').exec(stmt);
      if (!create) throw new Error(`${file}: unsupported statement: ${stmt}`);
      const name = unquote(create[1]!).name;
      // ksqlDB skips CREATE ... IF NOT EXISTS of a stream that exists (and fails one without it):
      // a later migration that means to redefine a stream has to drop it first.
      if (streams.has(name))
        throw new Error(`${file}: stream ${name} exists already, so ksqlDB would not create it again`);
      let rest = stmt.slice(create[0].length);
      let keyColumn: string | null = null;
      if (rest.startsWith('(')) {
        const cols = parenBody(rest, 0);
        const key = new RegExp(String.raw`^\s*(${IDENT}) STRING KEY\s*$`, 'i').exec(cols.body);
        if (!key)
          throw new Error(`${file}: source stream ${name} must declare exactly one STRING KEY column`);
        keyColumn = unquote(key[1]!).name;
        rest = rest.slice(cols.end).trim();
      }
      if (!/^WITH ?\(/i.test(rest)) throw new Error(`${file}: ${name} has no WITH clause`);
      const withBody = parenBody(rest, rest.indexOf('('));
      const props = parseWith(withBody.body);
      rest = rest.slice(withBody.end).trim();
      if (keyColumn !== null) {
        if (rest !== '') throw new Error(`${file}: unexpected text after source stream ${name}: ${rest}`);
        streams.set(name, { kind: 'source', name, file, keyColumn, with: props, settings: { ...settings } });
        continue;
      }
      const select = new RegExp(
        String.raw`^AS SELECT (.*) FROM (${IDENT})(?: PARTITION BY (.*))?$`,
        'is',
      ).exec(rest);
      if (!select) throw new Error(`${file}: ${name} is not a CREATE STREAM ... AS SELECT this reader knows`);
      const partitionByText = select[3]?.trim() ?? null;
      streams.set(name, {
        kind: 'derived',
        name,
        file,
        with: props,
        settings: { ...settings },
        from: unquote(select[2]!).name,
        items: splitTopLevel(select[1]!, ',').map(parseSelectItem),
        partitionBy: partitionByText === null ? null : parseExpr(partitionByText),
        partitionByText,
        insertedFrom: [],
      });
    }
  }
  return { files, streams };
}
