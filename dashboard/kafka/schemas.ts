import { z } from 'zod';
import { OrderflowError, describeError } from '../../common/errors.ts';
import { badParam, type KafkaContext } from './context.ts';

export const subjectQuery = z.object({ subject: z.string().regex(/^[\w.-]+$/, 'a subject name') });
export const diffQuery = subjectQuery.extend({
  from: z.coerce.number().int().min(1),
  to: z.coerce.number().int().min(1),
});

export interface FieldLine {
  path: string;
  type: string;
  default?: string;
}

export interface FieldChange {
  path: string;
  change: 'added' | 'removed' | 'changed';
  from?: string;
  to?: string;
}

/** Type of an Avro schema node as one line: "long (timestamp-millis)", "null | string", "array<OrderItem>". */
function typeLine(t: unknown): string {
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.map(typeLine).join(' | ');
  const node = t as {
    type: unknown;
    logicalType?: string;
    name?: string;
    items?: unknown;
    symbols?: string[];
    precision?: number;
    scale?: number;
  };
  if (node.logicalType === 'decimal')
    return `${typeLine(node.type)} (decimal ${node.precision},${node.scale ?? 0})`;
  if (node.logicalType) return `${typeLine(node.type)} (${node.logicalType})`;
  if (node.type === 'record') return `record ${node.name}`;
  if (node.type === 'enum') return `enum ${node.name} {${(node.symbols ?? []).join(', ')}}`;
  if (node.type === 'array') return `array<${typeLine(node.items)}>`;
  return typeLine(node.type);
}

/** Every field of a schema as a dot path with its type, nested records and array items included. */
export function flattenFields(schema: unknown, prefix = ''): FieldLine[] {
  const out: FieldLine[] = [];
  const visit = (t: unknown, path: string) => {
    if (Array.isArray(t)) return t.forEach((b) => visit(b, path));
    if (typeof t !== 'object' || t === null) return;
    const node = t as {
      type: unknown;
      fields?: { name: string; type: unknown; default?: unknown }[];
      items?: unknown;
    };
    if (node.type === 'record' && node.fields) {
      for (const f of node.fields) {
        const p = path ? `${path}.${f.name}` : f.name;
        out.push({
          path: p,
          type: typeLine(f.type),
          ...(f.default !== undefined ? { default: JSON.stringify(f.default) } : {}),
        });
        visit(f.type, p);
      }
    } else if (node.type === 'array') visit(node.items, `${path}[]`);
  };
  visit(schema, prefix);
  return out;
}

/** Field-by-field difference between two schema versions. */
export function diffFields(from: FieldLine[], to: FieldLine[]): FieldChange[] {
  const a = new Map(from.map((f) => [f.path, f]));
  const b = new Map(to.map((f) => [f.path, f]));
  const changes: FieldChange[] = [];
  for (const [path, f] of a) {
    const g = b.get(path);
    const show = (x: FieldLine) => x.type + (x.default !== undefined ? ` = ${x.default}` : '');
    if (!g) changes.push({ path, change: 'removed', from: show(f) });
    else if (show(f) !== show(g)) changes.push({ path, change: 'changed', from: show(f), to: show(g) });
  }
  for (const [path, g] of b) if (!a.has(path)) changes.push({ path, change: 'added', to: g.type });
  return changes;
}

/** The schemas view over the registry's Confluent API: subjects, versions, compatibility, diffs. */
export class SchemasView {
  constructor(private readonly ctx: KafkaContext) {}

  private async get<T>(path: string, allow404 = false): Promise<T | null> {
    const url = `${this.ctx.o.registryUrl.replace(/\/+$/, '')}${path}`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    } catch (error) {
      throw new OrderflowError(
        'ORDERFLOW_REGISTRY_UNAVAILABLE',
        `the registry did not answer ${path}: ${describeError(error)}`,
        {
          cause: error,
          retriable: true,
        },
      );
    }
    if (response.status === 404 && allow404) return null;
    if (!response.ok)
      throw new OrderflowError(
        'ORDERFLOW_REGISTRY_UNAVAILABLE',
        `the registry answered ${path} with HTTP ${response.status}`,
        {
          retriable: response.status >= 500,
        },
      );
    return (await response.json()) as T;
  }

  /**
   * The pipeline's subjects (those of its topics' prefix) with versions and compatibility. Each is
   * asked for by name: the registry's subject list is paged (Apicurio answers 1,000 names unless
   * told otherwise), and a cluster shared by many pipelines holds more than that.
   */
  async subjects() {
    const mine = [...new Set(this.ctx.topics.filter((t) => t.subject).map((t) => t.subject!))].sort();
    const global = await this.get<{ compatibilityLevel?: string }>('/config', true);
    const found = await Promise.all(
      mine.map(async (subject) => {
        const path = `/subjects/${encodeURIComponent(subject)}`;
        const versions = await this.get<number[]>(`${path}/versions`, true);
        if (!versions?.length) return undefined; // not registered (yet)
        const [config, latest] = await Promise.all([
          this.get<{ compatibilityLevel?: string }>(`/config/${encodeURIComponent(subject)}`, true),
          this.get<{ id: number; version: number }>(`${path}/versions/latest`),
        ]);
        return {
          subject,
          versions,
          latestId: latest?.id ?? null,
          compatibility: config?.compatibilityLevel ?? `${global?.compatibilityLevel ?? 'unknown'} (global)`,
        };
      }),
    );
    return { subjects: found.filter((s) => s !== undefined) };
  }

  private checkSubject(subject: string): void {
    if (!this.ctx.topics.some((t) => t.subject === subject))
      throw badParam('subject', subject, `a subject of the pipeline's topics (<topic>-value)`);
  }

  async version(subject: string, version: number) {
    this.checkSubject(subject);
    const v = await this.get<{ id: number; version: number; schema: string }>(
      `/subjects/${encodeURIComponent(subject)}/versions/${version}`,
      true,
    );
    if (!v) throw badParam('version', version, `a version of ${subject}`);
    const schema = JSON.parse(v.schema) as unknown;
    return { subject, version: v.version, id: v.id, schema, fields: flattenFields(schema) };
  }

  async diff(subject: string, from: number, to: number) {
    const [a, b] = await Promise.all([this.version(subject, from), this.version(subject, to)]);
    return { subject, from, to, fromId: a.id, toId: b.id, changes: diffFields(a.fields, b.fields) };
  }
}
