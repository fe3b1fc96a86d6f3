import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAvro } from '../../../common/avro.ts';
import { GENERATED_FILE, SCHEMA_FILES, generateTypes } from '../../../schemas/codegen.ts';

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

describe('generated types', () => {
  it('schemas/types.generated.ts is what codegen.ts generates from the .avsc files', () => {
    expect(readFileSync(GENERATED_FILE, 'utf8')).toBe(generateTypes());
  });
});
