/**
 * Pre-encoded records handed from the benchmark to its floor processes in one binary file: groups
 * of records, each group under a key (an order id), each record with its output topic's index, key
 * and value. Layout per group: u16 key length, key, u16 record count, then per record u8 topic,
 * u16 key length, key, u32 value length, value (lengths big-endian, keys UTF-8).
 */
export interface FileRecord {
  topic: number;
  key: string;
  value: Buffer;
}

export interface RecordGroup {
  key: string;
  records: FileRecord[];
}

export function encodeGroups(groups: Iterable<RecordGroup>): Buffer {
  const parts: Buffer[] = [];
  for (const g of groups) {
    const key = Buffer.from(g.key);
    const head = Buffer.allocUnsafe(4 + key.length);
    head.writeUInt16BE(key.length, 0);
    key.copy(head, 2);
    head.writeUInt16BE(g.records.length, 2 + key.length);
    parts.push(head);
    for (const r of g.records) {
      const k = Buffer.from(r.key);
      const h = Buffer.allocUnsafe(7 + k.length);
      h.writeUInt8(r.topic, 0);
      h.writeUInt16BE(k.length, 1);
      k.copy(h, 3);
      h.writeUInt32BE(r.value.length, 3 + k.length);
      parts.push(h, r.value);
    }
  }
  return Buffer.concat(parts);
}

export function decodeGroups(buf: Buffer): RecordGroup[] {
  const groups: RecordGroup[] = [];
  let at = 0;
  while (at < buf.length) {
    const kl = buf.readUInt16BE(at);
    const key = buf.toString('utf8', at + 2, at + 2 + kl);
    at += 2 + kl;
    const count = buf.readUInt16BE(at);
    at += 2;
    const records: FileRecord[] = [];
    for (let i = 0; i < count; i++) {
      const topic = buf.readUInt8(at);
      const rkl = buf.readUInt16BE(at + 1);
      const rkey = buf.toString('utf8', at + 3, at + 3 + rkl);
      at += 3 + rkl;
      const vl = buf.readUInt32BE(at);
      const value = buf.subarray(at + 4, at + 4 + vl);
      at += 4 + vl;
      records.push({ topic, key: rkey, value });
    }
    groups.push({ key, records });
  }
  return groups;
}
