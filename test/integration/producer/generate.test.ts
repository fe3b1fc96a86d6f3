import { setTimeout as sleep } from 'node:timers/promises';
/**
 * `orderflow generate` into the real stack: 10k orders with a unique topic prefix, read back with
 * read_committed through a fresh consumer group and decoded with the schema the registry holds
 * under `<topic>-value`. Exactly 10k distinct order ids arrive, keyed by order_id, the same
 * orders the dry run of the same seed prints, each one valid for the unpaid stage.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka } from '../../../common/kafka.ts';
import { AvroSerde, Decoder, readSchema } from '../../../common/serde.ts';
import { checkOrder, describeViolations } from '../../../schemas/invariants.ts';
import { valueSubject } from '../../../schemas/topics.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { ORDERFLOW_BIN, conn, createTopics, deleteTopics, log, uniquePrefix } from '../helpers.ts';

const COUNT = 10_000;
const SEED = 4242;
const ARGS = ['--seed', String(SEED), '--count', String(COUNT), '--from', '2025-01-01'];

function orderflow(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [ORDERFLOW_BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ORDERFLOW_LOG_LEVEL: 'warn', ...env },
    timeout: 180_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function readBack(topic: string, expected: number, timeoutMs = 120_000) {
  const consumer = createKafka(conn.kafkaBootstrap, 'orderflow-test-generate-reader', log).consumer({
    'group.id': `test-generate-${randomBytes(4).toString('hex')}`,
    'auto.offset.reset': 'earliest',
    'enable.auto.commit': false,
    'isolation.level': 'read_committed',
    'js.consumer.max.batch.size': 1000,
  } as KafkaJS.ConsumerConstructorConfig);
  const records: { key: string; value: Buffer }[] = [];
  let lastArrival = Date.now();
  await consumer.connect();
  await consumer.subscribe({ topics: [topic] });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) records.push({ key: m.key?.toString() ?? '', value: m.value! });
      lastArrival = Date.now();
    },
  });
  const deadline = Date.now() + timeoutMs;
  try {
    // Wait for the expected count, then a quiet period so duplicates would still show up.
    while (Date.now() < deadline && !(records.length >= expected && Date.now() - lastArrival > 3000)) {
      await sleep(250);
    }
  } finally {
    await consumer.disconnect();
  }
  return records;
}

describe('orderflow generate into Kafka', () => {
  const prefix = uniquePrefix('gen');
  const topic = `${prefix}unpaid_orders`;

  beforeAll(async () => {
    await createTopics(prefix);
  });
  afterAll(async () => {
    await deleteTopics(prefix);
  });

  it(`produces exactly ${COUNT} distinct orders, readable read_committed via the registry`, async () => {
    const run = orderflow(['generate', ...ARGS, '--topic-prefix', prefix]);
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
    const dry = orderflow(['generate', ...ARGS, '--dry-run']);
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
    const run = orderflow(['generate', '--count', '5', '--topic-prefix', prefix], {
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
