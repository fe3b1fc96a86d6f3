import avro from 'avsc';

/**
 * Avro logical types for orderflow's runtime representation:
 * - decimal: a fixed-scale string such as "1234.50" (exact; what JSON output and PostgreSQL want);
 * - timestamp-millis: a number of UTC milliseconds (avsc's plain long already is one).
 * avsc has no decimal of its own: without this class a decimal field is a raw Buffer.
 */
class DecimalType extends avro.types.LogicalType {
  private readonly scale: number;
  private readonly precision: number;

  constructor(attrs: { scale?: number; precision: number }, opts?: avro.ForSchemaOptions) {
    super(attrs as unknown as avro.Schema, opts);
    this.scale = attrs.scale ?? 0;
    this.precision = attrs.precision;
  }

  protected override _fromValue(buf: Buffer): string {
    // Up to 6 bytes (every amount below PHP 1.4 trillion) fits a double exactly: no BigInt needed.
    if (buf.length > 0 && buf.length <= 6) return formatSmall(buf.readIntBE(0, buf.length), this.scale);
    return formatUnscaled(bytesToBigInt(buf), this.scale);
  }

  protected override _toValue(value: unknown): Buffer {
    if (typeof value !== 'string') throw new TypeError(`decimal value must be a string, got ${typeof value}`);
    const small = parseSmall(value, this.scale);
    if (small !== undefined) {
      if (String(Math.abs(small)).length > this.precision) {
        throw new RangeError(`decimal ${value} exceeds precision ${this.precision}`);
      }
      return smallToBytes(small);
    }
    const unscaled = parseUnscaled(value, this.scale);
    if (unscaled.toString().replace('-', '').length > this.precision) {
      throw new RangeError(`decimal ${value} exceeds precision ${this.precision}`);
    }
    return bigIntToBytes(unscaled);
  }

  protected override _resolve(type: avro.Type): ((v: unknown) => unknown) | undefined {
    if (type instanceof DecimalType && type.scale === this.scale) return (v) => v;
    return undefined;
  }
}

export const logicalTypes = { decimal: DecimalType } as unknown as avro.ForSchemaOptions['logicalTypes'];

/** Parse an Avro schema (object or JSON text) with orderflow's logical types. */
export function parseAvro(schema: object | string): avro.Type {
  const obj: unknown = typeof schema === 'string' ? JSON.parse(schema) : schema;
  return avro.Type.forSchema(obj as avro.Schema, { logicalTypes, wrapUnions: false });
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** "12.5" at scale 2 -> 1250n. Rejects more fraction digits than the scale allows. */
export function parseUnscaled(value: string, scale: number): bigint {
  const m = DECIMAL.exec(value);
  if (!m) throw new TypeError(`not a decimal string: ${JSON.stringify(value)}`);
  const [, sign, whole, frac = ''] = m;
  if (frac.length > scale) throw new RangeError(`decimal ${value} has more than ${scale} fraction digits`);
  const digits = BigInt(whole + frac.padEnd(scale, '0'));
  return sign === '-' ? -digits : digits;
}

/** 1250n at scale 2 -> "12.50". */
export function formatUnscaled(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? '.' + frac : ''}`;
}

/** Largest magnitude the 6-byte fast path handles: 2^47 - 1. */
const SMALL_LIMIT = 2 ** 47;

/** parseUnscaled for values that fit 6 bytes, as a number; undefined sends the caller to the BigInt path. */
function parseSmall(value: string, scale: number): number | undefined {
  const m = DECIMAL.exec(value);
  if (!m) return undefined; // parseUnscaled reports the error
  const [, sign, whole, frac = ''] = m;
  if (frac.length > scale || whole.length + scale > 15) return undefined;
  const n = Number(whole + frac.padEnd(scale, '0'));
  if (n >= SMALL_LIMIT) return undefined;
  return sign === '-' && n !== 0 ? -n : n;
}

function formatSmall(n: number, scale: number): string {
  const abs = Math.abs(n);
  const digits = String(abs).padStart(scale + 1, '0');
  const cut = digits.length - scale;
  return `${n < 0 ? '-' : ''}${digits.slice(0, cut)}${scale > 0 ? '.' + digits.slice(cut) : ''}`;
}

function smallToBytes(n: number): Buffer {
  let len = 1;
  while (n < -(2 ** (len * 8 - 1)) || n >= 2 ** (len * 8 - 1)) len++;
  const buf = Buffer.allocUnsafe(len);
  buf.writeIntBE(n, 0, len);
  return buf;
}

function bytesToBigInt(buf: Buffer): bigint {
  if (buf.length === 0) return 0n;
  let n = 0n;
  for (const byte of buf) n = (n << 8n) | BigInt(byte);
  if (buf[0]! & 0x80) n -= 1n << BigInt(buf.length * 8);
  return n;
}

function bigIntToBytes(n: bigint): Buffer {
  // Minimal two's-complement big-endian encoding, as the Avro spec and Java's BigInteger do.
  let len = 1;
  while (n < -(1n << BigInt(len * 8 - 1)) || n >= 1n << BigInt(len * 8 - 1)) len++;
  const buf = Buffer.alloc(len);
  let v = n < 0n ? n + (1n << BigInt(len * 8)) : n;
  for (let i = len - 1; i >= 0; i--) {
    buf[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return buf;
}
