/**
 * A small reader and evaluator for the ksqlDB statements in ksql/migrations, just large enough for
 * the statements orderflow writes: SET, CREATE STREAM over a topic, CREATE STREAM ... AS SELECT
 * (column lists with aliases, struct dereference `->`, AS_VALUE, CONCAT, CAST(... AS STRING),
 * EXPLODE, PARTITION BY) and INSERT INTO ... SELECT *.
 *
 * It models the parts of ksqlDB's behaviour the split depends on: unquoted identifiers are
 * upper-cased and so are the column and struct field names inferred from an Avro source, while
 * backticked identifiers keep their case; a PARTITION BY expression becomes the key and leaves the
 * value unless copied with AS_VALUE; EXPLODE emits one row per array element (none for an empty
 * array). Tests use it to hold the statements against the Avro schemas and the splitter.
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
      const create = new RegExp(String.raw`^CREATE STREAM (?:IF NOT EXISTS )?(${IDENT}) ?`, 'i').exec(stmt);
      if (!create) throw new Error(`${file}: unsupported statement: ${stmt}`);
      const name = unquote(create[1]!).name;
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

// ---- evaluation ----

/** ksqlDB's view of an Avro value inferred from the registry: record field names upper-cased. */
export function inferredColumns(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inferredColumns);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toUpperCase(), inferredColumns(v)]));
  }
  return value;
}

function lookup(record: Record<string, unknown>, name: string, what: string): unknown {
  if (!(name in record)) throw new Error(`unknown ${what} ${name} (have: ${Object.keys(record).join(', ')})`);
  return record[name];
}

/** Evaluate a non-EXPLODE expression against a row's columns (key column included). */
export function evaluate(expr: Expr, columns: Record<string, unknown>): unknown {
  switch (expr.kind) {
    case 'column':
      return lookup(columns, expr.name, 'column');
    case 'string':
      return expr.value;
    case 'deref': {
      const base = evaluate(expr.base, columns);
      if (base === null || base === undefined) return null;
      return lookup(base as Record<string, unknown>, expr.field, 'struct field');
    }
    case 'cast': {
      if (expr.type !== 'STRING') throw new Error(`CAST to ${expr.type} is not modelled`);
      const v = evaluate(expr.arg, columns);
      return v === null ? null : String(v);
    }
    case 'call': {
      const args = expr.args.map((a) => evaluate(a, columns));
      if (expr.fn === 'AS_VALUE') return args[0];
      if (expr.fn === 'CONCAT') return args.some((a) => a === null) ? null : args.join('');
      throw new Error(`function ${expr.fn} is not modelled`);
    }
    case 'star':
      throw new Error('* is only allowed alone in a select list');
  }
}

function isExplode(expr: Expr): expr is { kind: 'call'; fn: string; args: Expr[] } {
  return expr.kind === 'call' && expr.fn === 'EXPLODE';
}

export function containsExplode(expr: Expr): boolean {
  switch (expr.kind) {
    case 'call':
      return expr.fn === 'EXPLODE' || expr.args.some(containsExplode);
    case 'deref':
      return containsExplode(expr.base);
    case 'cast':
      return containsExplode(expr.arg);
    default:
      return false;
  }
}

/** The key column of a stream: declared on a source, the partition expression's item, or passed through. */
export function keyColumnOf(stream: Stream, streams: Map<string, Stream>): string {
  if (stream.kind === 'source') return stream.keyColumn;
  if (stream.items.length === 1 && stream.items[0]!.expr.kind === 'star') {
    return keyColumnOf(streams.get(stream.from)!, streams);
  }
  if (stream.partitionByText !== null) {
    const item = stream.items.find((it) => it.text === stream.partitionByText);
    if (!item)
      throw new Error(`${stream.name}: the PARTITION BY expression must be selected as the key column`);
    return item.name;
  }
  const sourceKey = keyColumnOf(streams.get(stream.from)!, streams);
  const item = stream.items.find((it) => it.expr.kind === 'column' && it.expr.name === sourceKey);
  if (!item) throw new Error(`${stream.name}: the source key column ${sourceKey} must be selected`);
  return item.name;
}

/** The value column names of a derived stream, in order (the Avro field order ksqlDB writes). */
export function valueColumnsOf(stream: DerivedStream, streams: Map<string, Stream>): string[] {
  const key = keyColumnOf(stream, streams);
  return stream.items.map((it) => it.name).filter((n) => n !== key);
}

/**
 * Run records through the statements: `inputs` maps a topic to its records (key and the Avro
 * value as decoded, lower-case field names); the result maps every derived stream's topic to the
 * rows written there, in order.
 */
export function run(streams: Map<string, Stream>, inputs: Record<string, Row[]>): Map<string, Row[]> {
  const rowsOf = new Map<string, Row[]>();
  const cache = new Map<string, Row[]>();
  const rowsFor = (name: string): Row[] => {
    const cached = cache.get(name);
    if (cached) return cached;
    const stream = streams.get(name);
    if (!stream) throw new Error(`unknown stream ${name}`);
    let rows: Row[];
    if (stream.kind === 'source') {
      rows = (inputs[stream.with.KAFKA_TOPIC!] ?? []).map((r) => ({
        key: r.key,
        value: inferredColumns(r.value) as Record<string, unknown>,
      }));
    } else {
      rows = [stream.from, ...stream.insertedFrom].flatMap((src) => project(stream, rowsFor(src), streams));
    }
    cache.set(name, rows);
    if (stream.kind === 'derived') rowsOf.set(stream.with.KAFKA_TOPIC!, rows);
    return rows;
  };
  for (const name of streams.keys()) rowsFor(name);
  return rowsOf;
}

function project(stream: DerivedStream, input: Row[], streams: Map<string, Stream>): Row[] {
  const source = streams.get(stream.from)!;
  const sourceKey = keyColumnOf(source, streams);
  const key = keyColumnOf(stream, streams);
  const out: Row[] = [];
  for (const row of input) {
    const columns = { ...row.value, [sourceKey]: row.key };
    if (stream.items.length === 1 && stream.items[0]!.expr.kind === 'star') {
      out.push({ key: row.key, value: { ...row.value } });
      continue;
    }
    const explode = stream.items.find((it) => isExplode(it.expr));
    const elements: unknown[] = explode
      ? ((evaluate((explode.expr as { args: Expr[] }).args[0]!, columns) as unknown[] | null) ?? [])
      : [null];
    for (const element of elements) {
      const values: Record<string, unknown> = {};
      for (const it of stream.items) values[it.name] = it === explode ? element : evaluate(it.expr, columns);
      const keyValue = values[key] as string | null;
      delete values[key];
      out.push({ key: keyValue, value: values });
    }
  }
  return out;
}
