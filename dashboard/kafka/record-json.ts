import { describeError } from '../../common/errors.ts';
import { Decoder, type AvroSerde } from '../../common/serde.ts';
import type { RawRecord } from '../../common/record-reader.ts';

/** A record as the views send it: decoded value as JSON, or the bytes as hex with the reason. */
export interface RecordJson {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number | null;
  timestampIso: string | null;
  timestampManila: string | null;
  key: string | null;
  headers: Record<string, string>;
  schemaId: number | null;
  value: unknown;
  /** Set when the value could not be decoded: why, and the raw bytes (hex). */
  decodeError?: string;
  valueHex?: string;
}

const MANILA = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Manila',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** "2026-10-01 11:00:00" in Asia/Manila. */
export function manilaTime(ms: number): string {
  return MANILA.format(new Date(ms));
}

/** A UTC-ms date as the views show it: ISO 8601 UTC with the Manila wall time beside. */
export function showDate(ms: number): string {
  return `${new Date(ms).toISOString()} (Manila ${manilaTime(ms)})`;
}

const printable = (b: Buffer): boolean =>
  !b.some((c) => (c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0x7f);
const text = (b: Buffer | null): string | null =>
  b === null ? null : printable(b) ? b.toString('utf8') : `0x${b.toString('hex')}`;

interface SchemaNode {
  type?: unknown;
  logicalType?: string;
  fields?: { name: string; type: unknown }[];
  items?: unknown;
}

/**
 * The decoded Avro value walked with its writer schema: decimals are already exact strings (the
 * logical type of common/avro.ts), timestamp-millis become ISO UTC with the Manila time, bytes hex.
 */
export function toJson(schema: unknown, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(schema)) {
    // A union (wrapUnions false): the branch that is not null, or the first that fits.
    const branches = schema.filter((b) => b !== 'null');
    return toJson(branches.length === 1 ? branches[0] : guess(branches, value), value);
  }
  if (typeof schema === 'string') {
    if (Buffer.isBuffer(value)) return `0x${value.toString('hex')}`;
    return value;
  }
  const node = schema as SchemaNode;
  if (node.logicalType === 'timestamp-millis' && typeof value === 'number') return showDate(value);
  if (node.logicalType === 'date' && typeof value === 'number')
    return new Date(value * 86_400_000).toISOString().slice(0, 10);
  if (node.type === 'record' && node.fields) {
    const out: Record<string, unknown> = {};
    for (const f of node.fields) out[f.name] = toJson(f.type, (value as Record<string, unknown>)[f.name]);
    return out;
  }
  if (node.type === 'array' && Array.isArray(value)) return value.map((v) => toJson(node.items, v));
  if (typeof node.type === 'object' || Array.isArray(node.type)) return toJson(node.type, value);
  if (Buffer.isBuffer(value)) return `0x${value.toString('hex')}`;
  return value;
}

function guess(branches: unknown[], value: unknown): unknown {
  const isRecord = (b: unknown) => typeof b === 'object' && b !== null && (b as SchemaNode).type === 'record';
  if (typeof value === 'object' && !Buffer.isBuffer(value)) return branches.find(isRecord) ?? branches[0];
  return branches.find((b) => !isRecord(b)) ?? branches[0];
}

/** Writer schemas by id, as parsed JSON, fetched once. */
export class SchemaTexts {
  private readonly byId = new Map<number, Promise<unknown>>();
  constructor(private readonly registryUrl: string) {}

  get(id: number): Promise<unknown> {
    let p = this.byId.get(id);
    if (!p) {
      p = fetch(`${this.registryUrl.replace(/\/+$/, '')}/schemas/ids/${id}`, {
        signal: AbortSignal.timeout(5000),
      })
        .then(async (r) => {
          if (!r.ok) throw new Error(`schema id ${id}: registry answered HTTP ${r.status}`);
          return JSON.parse(((await r.json()) as { schema: string }).schema) as unknown;
        })
        .catch((error: unknown) => {
          this.byId.delete(id);
          throw error;
        });
      this.byId.set(id, p);
    }
    return p;
  }
}

/** Decode records through the registry: each with its writer schema; the undecodable as hex with the reason. */
export async function decodeRecords(
  serde: AvroSerde,
  schemas: SchemaTexts,
  records: RawRecord[],
): Promise<RecordJson[]> {
  const out: RecordJson[] = [];
  for (const r of records) {
    const headers: Record<string, string> = {};
    for (const h of r.headers) headers[h.key] = text(h.value) ?? '';
    const base: RecordJson = {
      topic: r.topic,
      partition: r.partition,
      offset: r.offset,
      timestamp: r.timestamp,
      timestampIso: r.timestamp === null ? null : new Date(r.timestamp).toISOString(),
      timestampManila: r.timestamp === null ? null : manilaTime(r.timestamp),
      key: text(r.key),
      headers,
      schemaId: null,
      value: null,
    };
    try {
      const id = Decoder.schemaId(r.value);
      base.schemaId = id;
      const type = await serde.writerType(id);
      const decoded = type.fromBuffer(r.value!.subarray(5));
      base.value = toJson(await schemas.get(id), decoded);
    } catch (error) {
      base.decodeError = describeError(error);
      base.valueHex = r.value === null ? '' : r.value.toString('hex');
      base.value = null;
    }
    out.push(base);
  }
  return out;
}

/** The value at a dot path ("shipping_info.order_status") of a decoded value, as text. */
export function fieldText(value: unknown, path: string): string | undefined {
  let v: unknown = value;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  if (v === undefined) return undefined;
  return v === null ? 'null' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}
