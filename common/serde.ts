import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type avro from 'avsc';
import { parseAvro } from './avro.ts';
import { OrderflowError } from './errors.ts';
import { retry, withTimeout } from './retry.ts';

/** Longest wait for one registry call before it counts as a failed (retriable) try. */
const CALL_TIMEOUT_MS = 10_000;

const SCHEMAS_DIR = fileURLToPath(new URL('../schemas/', import.meta.url));

/** The schema text of a file under schemas/ (e.g. "order.avsc"). */
export function readSchema(file: string): string {
  return readFileSync(SCHEMAS_DIR + file, 'utf8');
}

/**
 * Confluent wire format on top of avsc: magic byte 0, a 4-byte schema id, then the Avro body.
 *
 * The registry client (HTTP) is @kafkajs/confluent-schema-registry; encoding and decoding are done
 * here synchronously with pre-built avsc types, so the hot path does no promise per record.
 * Writers register once at start-up and reuse the id; readers resolve each writer id once
 * (then cached) against their own reader schema, so older or newer writers decode correctly.
 */
export class AvroSerde {
  readonly registry: SchemaRegistry;
  private readonly writerTypes = new Map<number, avro.Type>();

  /**
   * @param registryUrl the registry's Confluent-compatible API
   * @param budgetMs how long start-up calls (registering a writer) keep retrying an unreachable
   *   registry before they fail naming the cause (common/retry.ts)
   */
  constructor(
    private readonly registryUrl: string,
    private readonly budgetMs = 60_000,
  ) {
    this.registry = new SchemaRegistry(
      { host: registryUrl, retry: { retries: 1 } },
      { [SchemaType.AVRO]: {} },
    );
  }

  /**
   * Register under `subject`, idempotently. The client first compares the subject's compatibility
   * with BACKWARD, and Apicurio answers NONE (not 404) for a subject that exists without a setting
   * of its own: that is the state a registration leaves when it landed but its answer came too late
   * for us (a timed-out try), before its compatibility was set. What the retry needs then is the id
   * of this schema under the subject, which the registry looks up.
   */
  private async register(subject: string, schemaText: string): Promise<{ id: number }> {
    const schema: { type: SchemaType.AVRO; schema: string } = { type: SchemaType.AVRO, schema: schemaText };
    try {
      return await this.registry.register(schema, { subject });
    } catch (error) {
      if ((error as Error | null)?.name !== 'ConfluentSchemaRegistryCompatibilityError') throw error;
      return { id: await this.registry.getRegistryIdBySchema(subject, schema) };
    }
  }

  /** Register `schema` under `<topic>-value` (idempotent) and return a sync encoder bound to its id. */
  async writer<T>(subject: string, schemaText: string): Promise<Encoder<T>> {
    const { id } = await retry(
      async () => {
        try {
          // A registry that accepts the connection but never answers must not hang start-up: each
          // try is bounded, and the retry goes on within the budget.
          return await withTimeout(
            this.register(subject, schemaText),
            CALL_TIMEOUT_MS,
            `registering ${subject}`,
          );
        } catch (error) {
          throw registryError(error, subject);
        }
      },
      {
        what: `the schema registry at ${this.registryUrl} (registering ${subject})`,
        code: 'ORDERFLOW_REGISTRY_UNAVAILABLE',
        budgetMs: this.budgetMs,
        hint: 'is it running? (orderflow stack status)',
      },
    );
    const type = parseAvro(schemaText);
    this.writerTypes.set(id, type);
    return new Encoder<T>(id, type);
  }

  /** A decoder that reads any registered writer version into `readerSchemaText`'s shape. */
  reader<T>(readerSchemaText: string): Decoder<T> {
    return new Decoder<T>(this, parseAvro(readerSchemaText));
  }

  /** The writer type for an id, fetched from the registry once and cached. */
  async writerType(id: number): Promise<avro.Type> {
    const cached = this.writerTypes.get(id);
    if (cached) return cached;
    let schema: unknown;
    try {
      const response = await withTimeout(
        (this.registry as unknown as RegistryInternals).api.Schema.find({ id }),
        CALL_TIMEOUT_MS,
        `fetching schema id ${id}`,
      );
      schema = (response.data() as { schema: string }).schema;
    } catch (error) {
      if ((error as { status?: unknown }).status === 404) {
        // Not an outage: no registry will ever know this id. The record is poison (dead letter).
        throw new OrderflowError(
          'ORDERFLOW_DECODE_FAILED',
          `schema id ${id} is not in the registry (HTTP 404)`,
          {
            cause: error,
          },
        );
      }
      throw registryError(error, `schema id ${id}`);
    }
    let type: avro.Type;
    try {
      type = parseAvro(schema as string);
    } catch (error) {
      throw new OrderflowError(
        'ORDERFLOW_DECODE_FAILED',
        `schema id ${id} does not parse: ${String(error)}`,
        {
          cause: error,
        },
      );
    }
    this.writerTypes.set(id, type);
    return type;
  }
}

/** The library's HTTP client: we fetch a schema's text by id, which its public API only returns parsed. */
interface RegistryInternals {
  api: { Schema: { find(args: { id: number }): Promise<{ data(): unknown }> } };
}

function registryError(error: unknown, what: string): OrderflowError {
  const message = error instanceof Error ? error.message : String(error);
  const unreachable = /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|timed out after|fetch failed|socket hang up/i.test(
    message,
  );
  if (unreachable) {
    return new OrderflowError(
      'ORDERFLOW_REGISTRY_UNAVAILABLE',
      `the schema registry did not answer for ${what} (${message}); is it running? (orderflow stack status)`,
      { cause: error, retriable: true },
    );
  }
  if (/incompatible|409/i.test(message)) {
    return new OrderflowError('ORDERFLOW_SCHEMA_INCOMPATIBLE', `registry rejected ${what}: ${message}`, {
      cause: error,
    });
  }
  // A 4xx answer (bad schema, bad subject) will not change by waiting; 5xx and 408/429 may.
  const status = (error as { status?: unknown }).status;
  const refused =
    typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429;
  return new OrderflowError(
    'ORDERFLOW_REGISTRY_UNAVAILABLE',
    `registry call for ${what} failed: ${message}`,
    {
      cause: error,
      retriable: !refused,
    },
  );
}

export class Encoder<T> {
  private readonly header: Buffer;

  constructor(
    readonly schemaId: number,
    readonly type: avro.Type,
  ) {
    this.header = Buffer.alloc(5);
    this.header.writeUInt8(0, 0);
    this.header.writeInt32BE(schemaId, 1);
  }

  encode(value: T): Buffer {
    return Buffer.concat([this.header, this.type.toBuffer(value)]);
  }
}

export class Decoder<T> {
  private readonly resolvers = new Map<number, avro.Resolver>();
  /** Writer ids that can never be read (not in the registry, or unreadable), with the reason. */
  private readonly poison = new Map<number, string>();

  constructor(
    private readonly serde: AvroSerde,
    readonly readerType: avro.Type,
  ) {}

  /** The schema id of a Confluent-framed record, or an error if the frame is not Confluent's. */
  static schemaId(buf: Buffer | null): number {
    if (!buf || buf.length < 5 || buf.readUInt8(0) !== 0) {
      throw new OrderflowError(
        'ORDERFLOW_DECODE_FAILED',
        `not a Confluent-framed Avro record (${buf ? `${buf.length} bytes, first byte ${buf[0]}` : 'null value'})`,
      );
    }
    return buf.readInt32BE(1);
  }

  /**
   * Make sure the writer schemas of these records are known, so decode() can stay synchronous. An
   * id the registry does not have (404) or a writer that cannot be resolved makes its records
   * poison: decode() reports them (to the dead-letter topic). A registry that does not answer is
   * an outage: the retriable ORDERFLOW_REGISTRY_UNAVAILABLE is thrown and the batch waits.
   */
  async prepare(buffers: Iterable<Buffer | null>): Promise<void> {
    for (const buf of buffers) {
      let id: number;
      try {
        id = Decoder.schemaId(buf);
      } catch {
        continue; // decode() will report it per record
      }
      if (this.resolvers.has(id) || this.poison.has(id)) continue;
      try {
        const writer = await this.serde.writerType(id);
        this.resolvers.set(id, this.readerType.createResolver(writer));
      } catch (error) {
        if (error instanceof OrderflowError && error.retriable) throw error;
        this.poison.set(id, error instanceof Error ? error.message : String(error));
      }
    }
  }

  /** Decode one record; throws ORDERFLOW_DECODE_FAILED (never a raw avsc error) when it cannot. */
  decode(buf: Buffer | null): T {
    const id = Decoder.schemaId(buf);
    const resolver = this.resolvers.get(id);
    if (!resolver) {
      const poison = this.poison.get(id);
      if (poison !== undefined) throw new OrderflowError('ORDERFLOW_DECODE_FAILED', poison);
      throw new OrderflowError(
        'ORDERFLOW_DECODE_FAILED',
        `schema id ${id} was not prepared (unknown writer)`,
      );
    }
    try {
      return this.readerType.fromBuffer(buf!.subarray(5), resolver) as T;
    } catch (error) {
      throw new OrderflowError(
        'ORDERFLOW_DECODE_FAILED',
        `Avro body does not match schema id ${id}: ${String(error)}`,
        {
          cause: error,
        },
      );
    }
  }
}
