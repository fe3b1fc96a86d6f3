import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { DLQ_HEADERS } from './dead-letter.ts';

/**
 * The pending set of live pacing: outputs that were computed but are not due yet, kept in memory
 * by due time and mirrored in a compacted Kafka topic (see pacing.ts for the whole design).
 *
 * Identity is (pending partition, output key), as in the compacted topic: a second entry with the
 * same key in the same partition replaces the first (for the order stages a key is an order_id,
 * and a repeated input order gives the same output, so replacing loses nothing).
 */

/** Headers of a pending record (its key is the output's key, its value the encoded output value). */
export const PENDING_HEADERS = {
  topic: 'orderflow.pending.topic',
  due: 'orderflow.pending.due',
  eventTime: 'orderflow.pending.event-time',
  originTime: 'orderflow.pending.origin-time',
  failure: 'orderflow.pending.failure',
  sourcePartition: DLQ_HEADERS.sourcePartition,
  sourceOffset: DLQ_HEADERS.sourceOffset,
} as const;

export interface PendingEntry {
  /** Partition of the pending topic = partition of the input record it came from. */
  partition: number;
  key: Buffer;
  /** Output topic and encoded value, written there when due. */
  topic: string;
  value: Buffer;
  /** Event time (UTC ms) of the output; the due wall time is derived from it with the pacer. */
  eventTime: number;
  /** Wall-clock time (UTC ms) at which it is released. */
  due: number;
  originTime?: number;
  failure: boolean;
  sourceOffset: string;
}

/** The pending record that stores an entry (explicit partition). */
export function pendingMessage(entry: PendingEntry): KafkaJS.Message {
  const headers: KafkaJS.IHeaders = {
    [PENDING_HEADERS.topic]: entry.topic,
    [PENDING_HEADERS.due]: String(Math.ceil(entry.due)),
    [PENDING_HEADERS.eventTime]: String(entry.eventTime),
    [PENDING_HEADERS.failure]: entry.failure ? 'true' : 'false',
    [PENDING_HEADERS.sourcePartition]: String(entry.partition),
    [PENDING_HEADERS.sourceOffset]: entry.sourceOffset,
  };
  if (entry.originTime !== undefined) headers[PENDING_HEADERS.originTime] = String(entry.originTime);
  return { key: entry.key, value: entry.value, partition: entry.partition, headers };
}

/** The tombstone that deletes an entry from the compacted topic. */
export function pendingTombstone(entry: PendingEntry): KafkaJS.Message {
  return { key: entry.key, value: null, partition: entry.partition };
}

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (first === undefined || first === null) return undefined;
  return Buffer.isBuffer(first) ? first.toString() : String(first);
}

/**
 * Read a pending record back. Returns null for a tombstone; throws on a record that lacks the
 * headers this module writes (the topic is internal: anything else is a bug or foreign data).
 */
export function parsePendingRecord(
  partition: number,
  key: Buffer | null,
  value: Buffer | null,
  headers: Record<string, unknown> | undefined,
  dueAt: (eventTime: number) => number,
): PendingEntry | null {
  if (value === null) return null;
  const topic = header(headers, PENDING_HEADERS.topic);
  const eventTime = Number(header(headers, PENDING_HEADERS.eventTime));
  if (key === null || !topic || !Number.isFinite(eventTime)) {
    throw new Error(`pending record in partition ${partition} lacks its key, topic or event time header`);
  }
  const origin = header(headers, PENDING_HEADERS.originTime);
  return {
    partition,
    key,
    topic,
    value,
    eventTime,
    due: dueAt(eventTime),
    originTime: origin === undefined ? undefined : Number(origin),
    failure: header(headers, PENDING_HEADERS.failure) === 'true',
    sourceOffset: header(headers, PENDING_HEADERS.sourceOffset) ?? '',
  };
}

interface HeapItem {
  due: number;
  seq: number;
  id: string;
}

const entryId = (partition: number, key: Buffer) => `${partition}:${key.toString('base64')}`;

/**
 * In-memory pending entries: a map by (partition, key) and a binary min-heap by (due, insertion
 * order). Replaced, released and dropped entries leave stale heap items that are skipped when they
 * reach the top (and compacted away when they outnumber the live ones).
 */
export class PendingSet {
  private readonly entries = new Map<string, { entry: PendingEntry; seq: number }>();
  private heap: HeapItem[] = [];
  private seq = 0;
  private readonly perPartition = new Map<number, number>();

  /** Live entries. */
  get size(): number {
    return this.entries.size;
  }

  sizeOf(partition: number): number {
    return this.perPartition.get(partition) ?? 0;
  }

  /** Add an entry, replacing one with the same partition and key. */
  put(entry: PendingEntry): void {
    const id = entryId(entry.partition, entry.key);
    const seq = ++this.seq;
    if (!this.entries.has(id)) this.count(entry.partition, 1);
    this.entries.set(id, { entry, seq });
    this.push({ due: entry.due, seq, id });
    if (this.heap.length > 1024 && this.heap.length > 2 * this.entries.size) this.rebuild();
  }

  /** Remove the entry with this partition and key, if present. */
  delete(partition: number, key: Buffer): boolean {
    const id = entryId(partition, key);
    if (!this.entries.delete(id)) return false;
    this.count(partition, -1);
    return true;
  }

  /** Forget every entry of a partition (it was revoked: its new owner restores them). */
  dropPartition(partition: number): number {
    let dropped = 0;
    for (const [id, { entry }] of this.entries) {
      if (entry.partition === partition) {
        this.entries.delete(id);
        dropped++;
      }
    }
    this.perPartition.delete(partition);
    if (dropped > 0) this.rebuild();
    return dropped;
  }

  /** Due time of the earliest live entry, or undefined when empty. */
  nextDue(): number | undefined {
    this.skipStale();
    return this.heap[0]?.due;
  }

  /**
   * The entries due at `now` (due <= now), earliest first, at most `limit`. They stay in the set
   * until `delete`d (after their release commits), so a failed release is simply retried.
   */
  due(now: number, limit: number): PendingEntry[] {
    const taken: HeapItem[] = [];
    const out: PendingEntry[] = [];
    while (out.length < limit) {
      this.skipStale();
      const top = this.heap[0];
      if (!top || top.due > now) break;
      this.pop();
      taken.push(top);
      out.push(this.entries.get(top.id)!.entry);
    }
    for (const item of taken) this.push(item); // they stay until deleted
    return out;
  }

  /** All live entries (any order). */
  all(): PendingEntry[] {
    return [...this.entries.values()].map((e) => e.entry);
  }

  private count(partition: number, delta: number): void {
    const n = (this.perPartition.get(partition) ?? 0) + delta;
    if (n <= 0) this.perPartition.delete(partition);
    else this.perPartition.set(partition, n);
  }

  private isStale(item: HeapItem): boolean {
    return this.entries.get(item.id)?.seq !== item.seq;
  }

  private skipStale(): void {
    while (this.heap.length > 0 && this.isStale(this.heap[0]!)) this.pop();
  }

  private rebuild(): void {
    this.heap = this.heap.filter((item) => !this.isStale(item));
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private less(a: HeapItem, b: HeapItem): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  private push(item: HeapItem): void {
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    this.down(0);
  }

  private down(start: number): void {
    const heap = this.heap;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && this.less(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && this.less(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  }
}
