/**
 * One hop of the sustained run's floor baseline, as a process of its own: the raw client moving
 * pre-encoded bytes with no application logic.
 *
 * - produce: the orders' bytes to the first topic (the generator's producer settings), on "go";
 * - pass: consume -> produce the same bytes, one transaction per batch (a stage's hop);
 * - fanout: consume -> produce each order's pre-encoded split records (the splitter's hop);
 * - land: consume the split topics and COPY each batch's records, as (key, value bytea), into
 *   PostgreSQL, then commit the offsets (the sink's hop; at-least-once like the JDBC sink).
 *
 * Options come as one JSON argument. Prints "ready" once connected (and subscribed), then one JSON
 * line when its share is done, with its own CPU ticks from /proc/self/stat at "ready" and at the
 * end, and exits.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import pg from 'pg';
import { nextOffset } from '../common/kafka.ts';
import { createLogger } from '../common/logger.ts';
import { parseStat } from './cpu-account.ts';
import { kafkaClient, passThrough, produceAll, STAGE_CONSUMER, waitFor } from './kafka-io.ts';
import { decodeGroups } from './message-file.ts';
import { copyIn } from './pg-copy.ts';

export interface FloorOptions {
  role: 'produce' | 'pass' | 'fanout' | 'land';
  bootstrap: string;
  partitions: number;
  /** produce: the records to write; fanout: each order's split records (message-file.ts). */
  file?: string;
  input?: string;
  output?: string;
  /** fanout: output topic of each record's topic index; land: input topics. */
  topics?: string[];
  /** land: the table each input topic lands in (same order as `topics`). */
  tables?: string[];
  databaseUrl?: string;
  group?: string;
  batchSize: number;
  /** Records this hop must commit (consumed for pass/fanout/land, produced for produce). */
  expected: number;
  timeoutMs: number;
}

const o = JSON.parse(process.argv[2] ?? '{}') as FloorOptions;
const log = createLogger(`bench-floor-${o.role}`, process.env.ORDERFLOW_LOG_LEVEL ?? 'warn');
const ctx = { bootstrap: o.bootstrap, partitions: o.partitions, log };

function ownTicks(): number {
  return parseStat(readFileSync('/proc/self/stat', 'utf8'))?.own ?? Number.NaN;
}

let readyTicks = Number.NaN;
/** Set when the hop's share is done (land: at its last COPY), else read at the end. */
let doneTicks: number | undefined;
function ready(): void {
  readyTicks = ownTicks();
  process.stdout.write('ready\n');
}

function goSignal(): Promise<void> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (line) => {
      if (line.trim() === 'go') resolve();
    });
  });
}

async function produce(): Promise<Record<string, number>> {
  const messages = decodeGroups(readFileSync(o.file!)).flatMap((g) =>
    g.records.map((r) => ({ key: r.key, value: r.value })),
  );
  const go = goSignal();
  ready();
  await go;
  const seconds = await produceAll(ctx, o.output!, messages);
  return { records: messages.length, seconds };
}

async function pass(): Promise<Record<string, number>> {
  let fanout: Map<string, { topic: string; key: string; value: Buffer }[]> | undefined;
  if (o.role === 'fanout') {
    fanout = new Map();
    for (const g of decodeGroups(readFileSync(o.file!))) {
      fanout.set(
        g.key,
        g.records.map((r) => ({ topic: o.topics![r.topic]!, key: r.key, value: r.value })),
      );
    }
  }
  const r = await passThrough(ctx, {
    input: o.input!,
    output: o.output ?? '',
    ...(fanout ? { fanout } : {}),
    expected: o.expected,
    transactional: true,
    batchSize: o.batchSize,
    group: o.group!,
    timeoutMs: o.timeoutMs,
    onReady: ready,
  });
  return {
    records: r.trace.count,
    timedOut: r.timedOut ? 1 : 0,
    transactions: r.transactions,
    meanTransactionMs: r.transactions > 0 ? (r.transactionSeconds / r.transactions) * 1000 : 0,
  };
}

/** Consume the split topics and COPY every batch, then commit its offsets (at-least-once). */
async function land(): Promise<Record<string, number>> {
  const tableOf = new Map(o.topics!.map((t, i) => [t, o.tables![i]!]));
  const client = new pg.Client({ connectionString: o.databaseUrl });
  await client.connect();
  const consumer = kafkaClient(ctx, 'orderflow-bench-floor-land').consumer({
    ...STAGE_CONSUMER,
    'group.id': o.group!,
    'js.consumer.max.batch.size': o.batchSize,
  } as KafkaJS.ConsumerConstructorConfig);
  let landed = 0;
  let copies = 0;
  let finished = false;
  let failure: unknown;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: o.topics! });
    ready();
    await consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, resolveOffset }) => {
        const messages = batch.messages;
        if (messages.length === 0) return;
        const rows = messages.map((m) => ({
          key: m.key?.toString() ?? '',
          value: m.value ?? Buffer.alloc(0),
        }));
        const last = messages[messages.length - 1]!.offset;
        try {
          await copyIn(client, tableOf.get(batch.topic)!, rows);
          await consumer.commitOffsets([
            { topic: batch.topic, partition: batch.partition, offset: nextOffset(last) },
          ]);
        } catch (error) {
          failure ??= error;
          throw error;
        }
        resolveOffset(last);
        landed += rows.length;
        copies++;
        if (landed >= o.expected && !finished) {
          finished = true;
          doneTicks = ownTicks();
          process.stdout.write('done\n');
        }
      },
    });
    const done = await waitFor(() => landed >= o.expected || failure !== undefined, o.timeoutMs);
    if (failure !== undefined) throw failure;
    return { records: landed, copies, timedOut: done ? 0 : 1 };
  } finally {
    await consumer.disconnect();
    await client.end();
  }
}

try {
  const result = o.role === 'produce' ? await produce() : o.role === 'land' ? await land() : await pass();
  process.stdout.write(
    `${JSON.stringify({ ok: true, ...result, readyTicks, doneTicks: doneTicks ?? ownTicks() })}\n`,
  );
} catch (error) {
  process.stdout.write(`${JSON.stringify({ ok: false, error: String(error) })}\n`);
  process.exitCode = 1;
}
process.exit();
