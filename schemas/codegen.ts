/**
 * Derives TypeScript types from the .avsc files, so the contract is written once.
 * `npx tsx schemas/codegen.ts` rewrites schemas/types.generated.ts; a unit test fails when the
 * committed file drifts from what this would write.
 *
 * Runtime representation (see common/avro.ts): timestamp-millis -> number (UTC ms),
 * decimal -> string ("1234.50"), enum -> union of its symbols, ["null", T] -> T | null.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type AvroSchema = string | AvroSchema[] | { [key: string]: unknown };

export const SCHEMA_FILES = [
  'order.avsc',
  'split/orders.avsc',
  'split/customers.avsc',
  'split/order_items.avsc',
  'cart_event.avsc',
];
const DIR = fileURLToPath(new URL('./', import.meta.url));
const OUT = DIR + 'types.generated.ts';

const PRIMITIVES: Record<string, string> = {
  null: 'null',
  boolean: 'boolean',
  int: 'number',
  long: 'number',
  float: 'number',
  double: 'number',
  bytes: 'Buffer',
  string: 'string',
};

export function generateTypes(): string {
  const declared: string[] = [];
  const seen = new Set<string>();

  const typeOf = (schema: AvroSchema): string => {
    if (typeof schema === 'string') return PRIMITIVES[schema] ?? schema;
    if (Array.isArray(schema)) return schema.map(typeOf).join(' | ');
    const logical = schema.logicalType as string | undefined;
    if (logical === 'timestamp-millis' || logical === 'timestamp-micros') return 'number';
    if (logical === 'decimal') return 'string';
    switch (schema.type) {
      case 'record': {
        const name = schema.name as string;
        if (!seen.has(name)) {
          seen.add(name);
          const fields = (schema.fields as { name: string; type: AvroSchema; doc?: string }[]).map((f) => {
            const doc = f.doc ? `  /** ${f.doc} */\n` : '';
            return `${doc}  ${f.name}: ${typeOf(f.type)};`;
          });
          const doc = schema.doc ? `/** ${schema.doc as string} */\n` : '';
          declared.push(`${doc}export interface ${name} {\n${fields.join('\n')}\n}\n`);
        }
        return name;
      }
      case 'enum': {
        const name = schema.name as string;
        if (!seen.has(name)) {
          seen.add(name);
          const symbols = (schema.symbols as string[]).map((s) => `'${s}'`).join(' | ');
          declared.push(`export type ${name} = ${symbols};\n`);
        }
        return name;
      }
      case 'array':
        return `${wrap(typeOf(schema.items as AvroSchema))}[]`;
      case 'map':
        return `Record<string, ${typeOf(schema.values as AvroSchema)}>`;
      default:
        return typeOf(schema.type as AvroSchema);
    }
  };

  for (const file of SCHEMA_FILES) typeOf(JSON.parse(readFileSync(DIR + file, 'utf8')) as AvroSchema);
  const header =
    '// Generated from schemas/*.avsc by schemas/codegen.ts. Do not edit: run `npx tsx schemas/codegen.ts`.\n\n';
  return header + declared.join('\n');
}

function wrap(t: string): string {
  return t.includes('|') ? `(${t})` : t;
}

export const GENERATED_FILE = OUT;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(OUT, generateTypes());
  console.log(`wrote ${OUT}`);
}
