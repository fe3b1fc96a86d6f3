import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAvro } from '../../../common/avro.ts';
import { split } from '../../../splitter/split.ts';
import { delivered } from '../splitter/sample-orders.ts';

const SCHEMAS = fileURLToPath(new URL('../../../schemas/', import.meta.url));
const read = (path: string): object => JSON.parse(readFileSync(SCHEMAS + path, 'utf8')) as object;

describe('a reader still on schema 0.1.0 reads a 0.2.0 record (cart_id)', () => {
  it('decodes a new order written with cart_id, dropping the field it does not know', () => {
    const writer = parseAvro(read('order.avsc'));
    const oldReader = parseAvro(read('released/0.1.0/order.avsc'));
    expect(delivered.cart_id).not.toBeNull();
    const bytes = writer.toBuffer(delivered);
    const decoded = oldReader.fromBuffer(bytes, oldReader.createResolver(writer)) as Record<string, unknown>;
    expect(decoded['order_id']).toBe(delivered.order_id);
    expect(decoded['order_total']).toBe(delivered.order_total);
    expect(decoded).not.toHaveProperty('cart_id');
    // Without resolution the old reader misreads the trailing field: the resolver is what makes it work.
    expect(() => oldReader.fromBuffer(bytes)).toThrow();
  });

  it('decodes a new split orders row the same way', () => {
    const writer = parseAvro(read('split/orders.avsc'));
    const oldReader = parseAvro(read('released/0.1.0/split/orders.avsc'));
    const row = split(delivered).orders[1];
    expect(row.cart_id).toBe(delivered.cart_id);
    const decoded = oldReader.fromBuffer(writer.toBuffer(row), oldReader.createResolver(writer)) as Record<
      string,
      unknown
    >;
    expect(decoded['order_id']).toBe(delivered.order_id);
    expect(decoded).not.toHaveProperty('cart_id');
  });

  it('a new reader reads an old record: cart_id defaults to null', () => {
    const oldWriter = parseAvro(read('released/0.1.0/order.avsc'));
    const reader = parseAvro(read('order.avsc'));
    const old: Partial<typeof delivered> = { ...delivered };
    delete old.cart_id;
    const decoded = reader.fromBuffer(oldWriter.toBuffer(old), reader.createResolver(oldWriter)) as Record<
      string,
      unknown
    >;
    expect(decoded['cart_id']).toBeNull();
  });
});
