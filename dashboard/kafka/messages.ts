import { z } from 'zod';
import { badParam, watermarks, withTimeout, type KafkaContext } from './context.ts';
import { readRanges, type PartitionRange } from '../../common/record-reader.ts';
import { decodeRecords, fieldText, SchemaTexts, type RecordJson } from './record-json.ts';

export const MAX_PAGE = 200;
export const MAX_SCAN = 200_000;
const READ_MS = 8000;

/** Query of GET /api/kafka/messages; every value validated, a bad one is a 400 naming it. */
export const messagesQuery = z.object({
  topic: z.string(),
  partition: z.coerce.number().int().min(0).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  /** Seek: the first record at or after this time (ISO 8601 or epoch ms). */
  timestamp: z.string().optional(),
  order: z.enum(['newest', 'oldest']).default('newest'),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
  /** With a key or field filter: most records examined per partition. */
  scan: z.coerce.number().int().min(1).max(MAX_SCAN).default(20_000),
  key: z.string().max(200).optional(),
  field: z
    .string()
    .regex(
      /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/,
      'a dot path of Avro field names, e.g. shipping_info.order_status',
    )
    .optional(),
  value: z.string().max(200).optional(),
});
export type MessagesQuery = z.infer<typeof messagesQuery>;

export interface MessagesPage {
  topic: string;
  partitions: { partition: number; low: number; high: number }[];
  /** Where each partition's read started. */
  from: { partition: number; offset: number }[];
  records: RecordJson[];
  scanned: number;
  complete: boolean;
  readMs: number;
}

export function parseTime(raw: string): number {
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(ms)) throw badParam('timestamp', raw, 'an ISO 8601 time or epoch milliseconds');
  return ms;
}

/** The messages view: browse one topic by partition and offset, seek by time, filter by key or field. */
export class MessagesView {
  private readonly schemas: SchemaTexts;
  constructor(private readonly ctx: KafkaContext) {
    this.schemas = new SchemaTexts(ctx.o.registryUrl);
  }

  get schemaTexts(): SchemaTexts {
    return this.schemas;
  }

  async page(q: MessagesQuery): Promise<MessagesPage> {
    const started = performance.now();
    this.ctx.topic('topic', q.topic);
    if ((q.field === undefined) !== (q.value === undefined))
      throw badParam(
        q.field === undefined ? 'value' : 'field',
        q.field ?? q.value,
        'field and value go together',
      );
    if (q.offset !== undefined && q.partition === undefined)
      throw badParam('offset', q.offset, 'an offset needs a partition');
    if (q.offset !== undefined && q.timestamp !== undefined)
      throw badParam('timestamp', q.timestamp, 'either an offset or a timestamp, not both');
    const all = await watermarks(this.ctx, q.topic);
    const parts = q.partition === undefined ? all : all.filter((p) => p.partition === q.partition);
    if (parts.length === 0)
      throw badParam('partition', q.partition, `a partition of ${q.topic}: 0 to ${all.length - 1}`);

    const filtered = q.key !== undefined || q.field !== undefined;
    // Offsets per partition to read: a transactional batch leaves a marker per partition, so up to
    // every other offset may be one; twice the page (plus one) always holds a page of records.
    const window = filtered ? q.scan : 2 * q.limit + 1;
    let ranges: PartitionRange[];
    let forward = q.order === 'oldest';
    if (q.timestamp !== undefined) {
      const at = parseTime(q.timestamp);
      const admin = await this.ctx.admin();
      const seek = await withTimeout(
        admin.fetchTopicOffsetsByTimestamp(q.topic, at),
        5000,
        `offsets of ${q.topic} at ${q.timestamp}`,
      );
      ranges = parts.map((p) => {
        const found = Number(seek.find((s) => s.partition === p.partition)?.offset ?? -1);
        const from = found < 0 ? p.high : Math.max(found, p.low);
        return { topic: q.topic, partition: p.partition, from, to: Math.min(p.high, from + window) };
      });
      forward = true;
    } else if (q.offset !== undefined) {
      const p = parts[0]!;
      const from = Math.min(Math.max(q.offset, p.low), p.high);
      ranges = [{ topic: q.topic, partition: p.partition, from, to: Math.min(p.high, from + window) }];
      forward = true;
    } else if (forward) {
      ranges = parts.map((p) => ({
        topic: q.topic,
        partition: p.partition,
        from: p.low,
        to: Math.min(p.high, p.low + window),
      }));
    } else {
      ranges = parts.map((p) => ({
        topic: q.topic,
        partition: p.partition,
        from: Math.max(p.low, p.high - window),
        to: p.high,
      }));
    }
    const keyBytes = q.key === undefined ? null : Buffer.from(q.key);
    const read = await readRanges(this.ctx.o.kafkaBootstrap, ranges, {
      // Unfiltered reads keep every record of their (page-sized) ranges and pick the page by time below.
      maxRecords: filtered ? 50_000 : ranges.reduce((a, r) => a + r.to - r.from, 0),
      timeoutMs: READ_MS,
      keep: keyBytes ? (r) => r.key !== null && r.key.includes(keyBytes) : undefined,
    });
    // The field filter needs the decoded value: decode what the key filter kept, then filter.
    let records = await decodeRecords(this.ctx.serde, this.schemas, read.records);
    if (q.field !== undefined) records = records.filter((r) => fieldText(r.value, q.field!) === q.value);
    const byTime = (a: RecordJson, b: RecordJson) =>
      (a.timestamp ?? 0) - (b.timestamp ?? 0) || a.partition - b.partition || a.offset - b.offset;
    records.sort(forward ? byTime : (a, b) => byTime(b, a));
    return {
      topic: q.topic,
      partitions: all,
      from: ranges.map((r) => ({ partition: r.partition, offset: r.from })),
      records: records.slice(0, q.limit),
      scanned: read.scanned,
      complete: read.complete,
      readMs: Math.round(performance.now() - started),
    };
  }
}
