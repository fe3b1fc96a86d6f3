/**
 * `orderflow generate` into the real stack: 10k orders with a unique topic prefix, read back with
 * read_committed through a fresh consumer group and decoded with the schema the registry holds
 * under `<topic>-value`. Exactly 10k distinct order ids arrive, keyed by order_id, the same
 * orders the dry run of the same seed prints, each one valid for the unpaid stage.
 */
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { AvroSerde, Decoder, readSchema } from '../../../common/serde.ts';
import { checkOrder, describeViolations } from '../../../schemas/invariants.ts';
import { valueSubject } from '../../../schemas/topics.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { ORDERFLOW_BIN, conn, createTopics, deleteTopics, uniquePrefix } from '../helpers.ts';
import { readTopics, testPipeline } from '../processors/pipeline.ts';
import { runOrderflow } from '../services.ts';

const COUNT = 10_000;
const SEED = 4242;
const ARGS = ['--seed', String(SEED), '--count', String(COUNT), '--from', '2025-01-01'];

/** The records of `topic` (read_committed), once `expected` arrived and 3 s passed with nothing new. */
async function readBack(topic: string, expected: number, timeoutMs = 120_000) {
  const read = await readTopics([topic], (r) => r.get(topic)!.length >= expected, { timeoutMs });
  return read.get(topic)!.map((r) => ({ key: r.key, value: r.value! }));
}

describe('orderflow generate into Kafka', () => {
  const pipe = testPipeline('gen');
  const { prefix } = pipe;
  const topic = `${prefix}unpaid_orders`;
  beforeAll(() => pipe.createTopics());

  it(`produces exactly ${COUNT} distinct orders, readable read_committed via the registry`, async () => {
    const run = runOrderflow(['generate', ...ARGS, '--topic-prefix', prefix]);
    expect(run.stderr).toMatch(new RegExp(`generate: ${COUNT} orders, ${COUNT} acknowledged, .*\\(done\\)`));
    expect(run.code).toBe(0);

    const records = await readBack(topic, COUNT);
    // The value schema is registered under <topic>-value and every record carries its id.
    const serde = new AvroSerde(conn.registryUrl);
    const registered = await serde.registry.getLatestSchemaId(valueSubject(topic));
    expect(new Set(records.map((r) => Decoder.schemaId(r.value)))).toEqual(new Set([registered]));

    // Decode as another process would: the writer schema is looked up in the registry by that id.
    const decoder = new AvroSerde(conn.registryUrl).reader<Order>(readSchema('order.avsc'));
    await decoder.prepare(records.map((r) => r.value));
    const decode = (buf: Buffer): Order => decoder.decode(buf);

    const ids = new Set<string>();
    for (const r of records) {
      const order = decode(r.value);
      expect(r.key).toBe(order.order_id);
      expect(describeViolations(checkOrder(order, 'unpaid'))).toBe('');
      ids.add(order.order_id);
    }
    expect(records.length).toBe(COUNT);
    expect(ids.size).toBe(COUNT);

    // The same seed in a dry run prints the same orders.
    const dry = runOrderflow(['generate', ...ARGS, '--dry-run']);
    expect(dry.code).toBe(0);
    const dryIds = new Set(
      dry.stdout
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as Order).order_id),
    );
    expect(dryIds).toEqual(ids);
  });

  it('an unreachable registry: retries within the budget, then ORDERFLOW_REGISTRY_UNAVAILABLE', () => {
    const run = runOrderflow(['generate', '--count', '5', '--topic-prefix', prefix], {
      ORDERFLOW_REGISTRY_URL: 'http://127.0.0.1:9/apis/ccompat/v7',
      ORDERFLOW_GENERATOR_RETRY_BUDGET_MS: '1000',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/schema registry did not answer .*\[ORDERFLOW_REGISTRY_UNAVAILABLE\]/);
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('live mode: SIGTERM flushes, exits 0, and every order it counted is in the topic', async () => {
    const livePrefix = uniquePrefix('genlive');
    await createTopics(livePrefix, 1);
    try {
      const child = spawn(
        process.execPath,
        [
          ORDERFLOW_BIN,
          'generate',
          '--mode',
          'live',
          '--speed',
          '36000',
          '--seed',
          '9',
          '--topic-prefix',
          livePrefix,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ORDERFLOW_LOG_LEVEL: 'warn' } },
      );
      let stderr = '';
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no acknowledged orders; stderr: ${stderr}`)),
          60_000,
        );
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (/generate: \d+ orders, [1-9]\d* acknowledged/.test(stderr)) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const final = /generate: (\d+) orders, (\d+) acknowledged, .*\(stopped\)/.exec(stderr);
      expect(final).not.toBeNull();
      expect(final![2]).toBe(final![1]);
      const records = await readBack(`${livePrefix}unpaid_orders`, Number(final![1]), 60_000);
      expect(new Set(records.map((r) => r.key)).size).toBe(Number(final![1]));
    } finally {
      await deleteTopics(livePrefix);
    }
  });
});
