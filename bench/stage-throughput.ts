import { setTimeout as sleep } from 'node:timers/promises';
/**
 * Orders per second of each order stage on this machine, exactly-once (transactions) vs
 * at-least-once (no transactions), through the real stage service against the local stack.
 *
 * Method: for each stage, the same seeded input (N generator orders, pushed through the earlier
 * stages in memory so each stage gets valid input: the ones that reach it) is written once to a fresh topic set; each run
 * starts the stage in a fresh consumer group with fresh output topics (a new prefix), and the rate
 * is measured from its first committed batch to its last (group join excluded). One warm-up run per
 * configuration, then RUNS measured runs: median, min and max. Bounded: N orders per run.
 *
 *   npx tsx bench/stage-throughput.ts [N=10000] [RUNS=3]
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { loadSettings } from '../common/config.ts';
import { createLogger } from '../common/logger.ts';
import { AvroSerde, readSchema } from '../common/serde.ts';
import { makeConfig } from '../simulation/config.ts';
import { generateOrders } from '../simulation/model/generator.ts';
import { PROFILES } from '../processors/profiles.ts';
import { stageRng } from '../processors/rng.ts';
import { startOrderStage } from '../processors/service.ts';
import { processorSettings, type ProcessorSettings } from '../processors/settings.ts';
import { STAGES, STAGE_NAMES } from '../processors/stages.ts';
import type { Order, Stage } from '../schemas/types.generated.ts';
import { topicName, valueSubject } from '../schemas/topics.ts';
import { ensureTopics } from '../stack/topics.ts';
import { deletePrefixTopics, produceAll } from './kafka-io.ts';
import { loadConnections } from './invocation.ts';

const N = Number(process.argv[2] ?? 10_000);
const RUNS = Number(process.argv[3] ?? 3);
const conn = loadConnections();
const log = createLogger('bench-stage', 'warn');
const kafka = { bootstrap: conn.kafkaBootstrap, log, partitions: 6 };
const schema = readSchema('order.avsc');

/**
 * Valid input for `stage`: generator orders moved through the earlier stages (forced to succeed).
 * A store order paid at the till is finished by the payment stage and never reaches the later ones.
 */
function inputFor(stage: Stage): Order[] {
  const config = makeConfig({ seed: 5, count: N, from: Date.UTC(2024, 0, 1), until: Date.UTC(2035, 0, 1) });
  const always = {
    payment: { ...PROFILES.default.payment, successRate: 1 },
    shipping: { ...PROFILES.default.shipping, successRate: 1 },
    delivery: PROFILES.default.delivery,
  };
  const before = STAGE_NAMES.slice(0, STAGE_NAMES.indexOf(stage));
  const input: Order[] = [];
  for (const order of generateOrders(config, { now: () => Date.UTC(2035, 0, 1) })) {
    let o: Order | undefined = order;
    for (const s of before) {
      const outcome = STAGES[s].transform(o, stageRng(5, s, o.order_id), always);
      o = outcome.kind === 'next' ? outcome.order : undefined;
      if (!o) break;
    }
    if (o) input.push(o);
  }
  return input;
}

/** Write `orders` to `prefix`'s input topic of `stage`, encoded under the topic's subject. */
async function writeInput(prefix: string, stage: Stage, orders: Order[]): Promise<void> {
  const topic = topicName(STAGES[stage].input, prefix);
  const encoder = await new AvroSerde(conn.registryUrl).writer<Order>(valueSubject(topic), schema);
  await produceAll(
    kafka,
    topic,
    orders.map((o) => ({ key: o.order_id, value: encoder.encode(o) })),
  );
}

/**
 * One run: the stage reads `prefix`'s input topic (fresh group, `n` records) and writes its output
 * topics. Returns orders/s.
 */
async function runOnce(stage: Stage, prefix: string, transactions: boolean, n: number): Promise<number> {
  const base = loadSettings(processorSettings(stage), {}) as ProcessorSettings;
  const settings: ProcessorSettings = {
    ...base,
    kafkaBootstrap: conn.kafkaBootstrap,
    registryUrl: conn.registryUrl,
    seed: 5,
    topicPrefix: prefix,
    group: `${prefix}group`,
    instanceId: `${prefix}i`,
    port: 0,
    transactions,
  };
  const running = await startOrderStage(stage, settings, log);
  let firstAt = 0;
  let firstCount = 0;
  const deadline = Date.now() + 300_000;
  while (running.runtime.processedRecords < n && Date.now() < deadline) {
    if (firstAt === 0 && running.runtime.processedRecords > 0) {
      firstAt = performance.now();
      firstCount = running.runtime.processedRecords;
    }
    await sleep(5);
  }
  const lastAt = performance.now();
  const done = running.runtime.processedRecords;
  await running.stop();
  if (done < n) throw new Error(`${stage}: only ${done} of ${n} processed`);
  return (n - firstCount) / ((lastAt - firstAt) / 1000);
}

const summary = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]! };
};

const rows: string[] = [];
for (const stage of STAGE_NAMES) {
  const inputs = inputFor(stage);
  // Every run gets its own topic set (input written fresh, outputs empty), deleted afterwards.
  for (const transactions of [true, false]) {
    const rates: number[] = [];
    for (let run = 0; run <= RUNS; run++) {
      const prefix = `bench_${randomBytes(4).toString('hex')}_`;
      await ensureTopics({
        bootstrap: conn.kafkaBootstrap,
        registryUrl: conn.registryUrl,
        prefix,
        partitions: 6,
        replicationFactor: 1,
        log,
      });
      await writeInput(prefix, stage, inputs);
      const rate = await runOnce(stage, prefix, transactions, inputs.length);
      await deletePrefixTopics(kafka, prefix);
      if (run > 0) rates.push(rate); // run 0 is the warm-up
      process.stderr.write(`${stage} tx=${transactions} run ${run}: ${rate.toFixed(0)} orders/s\n`);
    }
    const s = summary(rates);
    rows.push(
      `| ${stage} | ${transactions ? 'exactly-once' : 'at-least-once'} | ${s.median.toFixed(0)} | ${s.min.toFixed(0)} | ${s.max.toFixed(0)} |`,
    );
  }
}
console.log(
  `\nStage throughput, ${N} generated orders per run (a stage gets those that reach it), ${RUNS} runs after a warm-up, batch size 1000, ${cpus().length} cores (shared)\n`,
);
console.log('| stage | mode | median orders/s | min | max |\n|---|---|---|---|---|');
console.log(rows.join('\n'));
