import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAvro } from '../../../common/avro.ts';
import { GENERATED_FILE, SCHEMA_FILES, generateTypes } from '../../../schemas/codegen.ts';
import { PAYMENT_DEFAULT } from '../../../processors/payment/config.ts';
import { payOrder } from '../../../processors/payment/transform.ts';
import { stageRng } from '../../../processors/rng.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { split } from '../../../splitter/split.ts';
import { unpaidOrder } from '../processors/orders.ts';

const SCHEMAS = fileURLToPath(new URL('../../../schemas/', import.meta.url));
const RELEASED = SCHEMAS + 'released/';

/** Latest released version folder (semver order). */
function latestRelease(): string {
  const versions = readdirSync(RELEASED, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort((a, b) => {
      const pa = a.split('.').map(Number);
      const pb = b.split('.').map(Number);
      for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
      return 0;
    });
  expect(versions.length).toBeGreaterThan(0);
  return versions[versions.length - 1]!;
}

const read = (path: string): object => JSON.parse(readFileSync(path, 'utf8')) as object;

/** BACKWARD: a reader on `current` can resolve data written with `released`. Throws if not. */
function assertBackward(current: object, released: object): void {
  parseAvro(current).createResolver(parseAvro(released));
}

describe('schema compatibility with the released copies', () => {
  const version = latestRelease();

  it.each(SCHEMA_FILES)('%s is BACKWARD compatible with every earlier release too', (file) => {
    for (const dir of readdirSync(RELEASED, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      // A schema added in a later release (cart_event.avsc, 0.3.0) has nothing older to be read with.
      if (!existsSync(`${RELEASED}${dir.name}/${file}`)) continue;
      expect(() =>
        assertBackward(read(SCHEMAS + file), read(`${RELEASED}${dir.name}/${file}`)),
      ).not.toThrow();
    }
  });

  it('keeps a released copy of every schema', () => {
    for (const file of SCHEMA_FILES) expect(() => read(`${RELEASED}${version}/${file}`)).not.toThrow();
  });

  it.each(SCHEMA_FILES)('%s is BACKWARD compatible with its released copy', (file) => {
    expect(() => assertBackward(read(SCHEMAS + file), read(`${RELEASED}${version}/${file}`))).not.toThrow();
  });

  it('catches a breaking change: a new field without a default', () => {
    const released = read(`${RELEASED}${version}/order.avsc`) as { fields: object[] };
    const broken = { ...released, fields: [...released.fields, { name: 'coupon_code', type: 'string' }] };
    expect(() => assertBackward(broken, released)).toThrow(/coupon_code/);
    // ...while the same field with a default is a compatible change.
    const fine = {
      ...released,
      fields: [...released.fields, { name: 'coupon_code', type: ['null', 'string'], default: null }],
    };
    expect(() => assertBackward(fine, released)).not.toThrow();
  });

  it('catches a breaking change: an enum symbol removed', () => {
    const released = read(`${RELEASED}${version}/order.avsc`);
    const text = JSON.stringify(released).replace('"BANK_TRANSFER","DIGITAL_WALLET"]', '"BANK_TRANSFER"]');
    expect(text).toContain('"symbols":["CREDIT_CARD","BANK_TRANSFER"]');
    expect(() => assertBackward(JSON.parse(text) as object, released)).toThrow();
  });
});

describe('a reader still on an earlier release', () => {
  const version = latestRelease();

  it.each(SCHEMA_FILES)(
    '%s as released before the latest reads what the current one writes (FORWARD)',
    (file) => {
      for (const dir of readdirSync(RELEASED, { withFileTypes: true }).filter((d) => d.isDirectory())) {
        if (!existsSync(`${RELEASED}${dir.name}/${file}`)) continue;
        expect(() =>
          parseAvro(read(`${RELEASED}${dir.name}/${file}`)).createResolver(parseAvro(read(SCHEMAS + file))),
        ).not.toThrow();
      }
    },
  );

  it('on 0.3.0 decodes a store order paid at the till and an online order written with the current schema', () => {
    expect(version).toBe('0.4.0');
    const writer = parseAvro(read(SCHEMAS + 'order.avsc'));
    const old = parseAvro(read(`${RELEASED}0.3.0/order.avsc`));
    const resolver = old.createResolver(writer);
    const till = unpaidOrder(3, 'S', 'store');
    const sale = payOrder(till, stageRng(1, 'payment', till.order_id), PAYMENT_DEFAULT).order;
    const online = unpaidOrder(4);
    for (const order of [sale, online]) {
      const seen = old.fromBuffer(writer.toBuffer(order), resolver) as Record<string, unknown>;
      expect(seen.order_id).toBe(order.order_id);
      expect(seen.order_total).toBe(order.order_total);
      expect(seen).not.toHaveProperty('channel');
      expect((seen.payment_info as Order['payment_info']).payment_status).toBe(
        order.payment_info.payment_status,
      );
      expect(seen.item_info as unknown[]).toHaveLength(order.item_info.length);
    }
    // The till sale is paid, with no online method: the old schema's field is null, as documented.
    const seen = old.fromBuffer(writer.toBuffer(sale), resolver) as Order;
    expect(seen.payment_info).toEqual({
      payment_status: true,
      payment_method: null,
      payment_date: sale.order_date,
    });
    expect(seen.shipping_info.order_status).toBe('DELIVERED');
  });

  it('on 0.3.0 reads the split rows of a store order (the sink of an older deployment)', () => {
    const till = unpaidOrder(5, 'S', 'store');
    const rows = split(payOrder(till, stageRng(1, 'payment', till.order_id), PAYMENT_DEFAULT).order);
    for (const [file, value] of [
      ['split/orders.avsc', rows.orders[1]],
      ['split/order_items.avsc', rows.orderItems[0]![1]],
    ] as const) {
      const writer = parseAvro(read(SCHEMAS + file));
      const old = parseAvro(read(`${RELEASED}0.3.0/${file}`));
      const seen = old.fromBuffer(writer.toBuffer(value), old.createResolver(writer)) as Record<
        string,
        unknown
      >;
      expect(seen.order_id).toBe(till.order_id);
      expect(seen).not.toHaveProperty('vat_total');
    }
  });
});

describe('generated types', () => {
  it('schemas/types.generated.ts is what codegen.ts generates from the .avsc files', () => {
    expect(readFileSync(GENERATED_FILE, 'utf8')).toBe(generateTypes());
  });
});
