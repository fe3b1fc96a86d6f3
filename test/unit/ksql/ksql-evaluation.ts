/**
 * Runs the statements read by ksql-statements.ts the way ksqlDB would: column and struct field
 * names inferred upper-case from an Avro source, a PARTITION BY expression becoming the key (the
 * value keeps it only through AS_VALUE), EXPLODE emitting one row per array element (none for an
 * empty array), INSERT INTO adding a second source to a stream.
 */
import type { DerivedStream, Expr, Row, Stream } from './ksql-statements.ts';

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
