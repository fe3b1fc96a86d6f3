/**
 * Kafka's default partitioner hash (Java's Utils.murmur2, librdkafka's `murmur2_random`, which the
 * orderflow producers use): partition = (murmur2(key) & 0x7fffffff) % partitions.
 */
export function murmur2(key: Buffer): number {
  const seed = 0x9747b28c;
  const m = 0x5bd1e995;
  const r = 24;
  const length = key.length;
  let h = (seed ^ length) | 0;
  const length4 = length >> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k =
      (key[i4]! & 0xff) |
      ((key[i4 + 1]! & 0xff) << 8) |
      ((key[i4 + 2]! & 0xff) << 16) |
      ((key[i4 + 3]! & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const rest = length % 4;
  const base = length & ~3;
  if (rest === 3) h ^= (key[base + 2]! & 0xff) << 16;
  if (rest >= 2) h ^= (key[base + 1]! & 0xff) << 8;
  if (rest >= 1) {
    h ^= key[base]! & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

export function partitionFor(key: string, partitions: number): number {
  return (murmur2(Buffer.from(key)) & 0x7fffffff) % partitions;
}
