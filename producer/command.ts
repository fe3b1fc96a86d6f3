import { setTimeout as sleep } from 'node:timers/promises';
/**
 * `orderflow generate`: the shop's order stream into unpaid_orders (or JSON lines with --dry-run).
 * Wires flags and settings to the generation core (model/generator.ts) and a sink, paces live
 * mode, caps the rate, reports progress on stderr, and drains on SIGTERM/SIGINT (exit 0).
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { Option, type Command } from 'commander';
import type { SettingsOf } from '../common/config.ts';
import { OrderflowError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { pipelineNames } from '../common/names.ts';
import { addSettingFlags, loadCommandSettings, shownDefault } from '../common/setting-flags.ts';
import type { Order } from '../schemas/types.generated.ts';
import { makeConfig } from '../simulation/config.ts';
import { JsonLinesSink } from './json-lines.ts';
import { acquireGeneratorLock } from './lock.ts';
import { defaultBackfillFrom, loadProgress, modelHash, newProgress, runKey } from './progress.ts';
import { TransactionalOrderSink } from './transactional-sink.ts';
import { generateOrders, type Clock } from '../simulation/model/generator.ts';
import { checkWindow, parseGenerateOptions, type GenerateRun, type RawGenerateOptions } from './options.ts';
import { generatorSettings } from './settings.ts';

const PROGRESS_EVERY_MS = 2_000;
const systemClock: Clock = { now: () => Date.now() };

/** Settings with a flag on `generate`; the others are read from the environment only. */
const FLAGS = ['seed', 'topicPrefix', 'batchSize'] as const;

export function register(program: Command): void {
  const generate = program
    .command('generate')
    .description(
      'Generate the simulated order stream (deterministic for a seed) into <prefix>unpaid_orders (each online order names its storefront cart; `orderflow storefront` writes the events of those carts), or the orders as JSON lines with --dry-run',
    )
    .addOption(
      new Option(
        '--mode <mode>',
        'backfill: from --from to --until as fast as allowed; live: at the simulated pace x --speed',
      )
        .choices(['backfill', 'live'])
        .default('backfill'),
    )
    .option(
      '--from <time>',
      'first order time: YYYY-MM-DD, ISO 8601 with a zone, or "now" (default: where the previous backfill of this seed started, else UTC midnight 24 months ago; live: now)',
    )
    .option(
      '--until <time>',
      'no orders at or after this time (default: now; with --count or in live mode: no end)',
    )
    .option('--count <n>', "the run's number of orders (a re-run counts those already committed)")
    .option('--rate <n>', 'at most this many orders per second (default: no cap)')
    .option(
      '--speed <n>',
      'live mode: simulated seconds per real second, e.g. 60 = one hour a minute (default: 60)',
    )
    .option(
      '--dry-run',
      'write JSON lines (decimals as strings, ISO 8601 UTC times) instead of producing; no Kafka',
    )
    .option('--out <file>', 'with --dry-run: output file, - for stdout (default: -)')
    .option('--verbose', 'log each retry and print stack traces for errors');
  const envOnly = Object.entries(generatorSettings)
    .filter(([key]) => !(FLAGS as readonly string[]).includes(key))
    .map(([, s]) => s);
  addSettingFlags(generate, generatorSettings, FLAGS)
    .addHelpText(
      'after',
      "\nExactly once: orders are committed in Kafka transactions with the run's count (seed, --from, mode),\n" +
        'so the same command re-run after a kill goes on after the last committed order. A second generator\n' +
        'for the same --topic-prefix is refused on this machine, and fences the first from elsewhere.\n' +
        '\nEnvironment (flags above name theirs):\n' +
        envOnly.map((s) => `  ${s.env} (default ${shownDefault(s.default)})\n      ${s.doc}`).join('\n') +
        '\n  ORDERFLOW_KAFKA_<NAME>: any librdkafka producer property, e.g. ORDERFLOW_KAFKA_LINGER_MS=50',
    )
    .action(async (raw: RawGenerateOptions & { verbose?: boolean }, command: Command) => {
      const run = parseGenerateOptions(raw, systemClock.now());
      const settings = loadCommandSettings(generatorSettings, command);
      await runGenerate(run, settings, raw.verbose === true);
    });
}

interface Sink {
  written: number;
  write(order: Order): Promise<void> | undefined;
  flush(): Promise<void>;
}

export async function runGenerate(
  run: GenerateRun,
  settings: SettingsOf<typeof generatorSettings>,
  verbose: boolean,
): Promise<void> {
  let stopping = false;
  const onSignal = (): void => {
    if (stopping) process.exit(1); // a second signal: stop now
    stopping = true;
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  const model = modelHash(makeConfig({ seed: settings.seed }));
  let from = run.from;
  /** Orders of the run committed by an earlier process: generated again, not written. */
  let skip = 0;
  let sink: Sink;
  let close: () => Promise<void>;
  if (run.dryRun) {
    from ??= defaultBackfillFrom([], settings.seed, model, systemClock.now()).from;
    const out: Writable = run.out === '-' ? process.stdout : createWriteStream(run.out);
    const closed = new Promise<void>((resolve, reject) => {
      out.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE') {
          stopping = true; // the reader went away (e.g. | head): stop quietly
          resolve();
        } else
          reject(
            new OrderflowError('ORDERFLOW_USAGE', `cannot write ${run.out}: ${error.message}`, {
              cause: error,
            }),
          );
      });
      if (run.out !== '-') out.on('finish', () => resolve());
    });
    sink = new JsonLinesSink(out);
    close = async () => {
      if (run.out === '-') return;
      out.end();
      await closed;
    };
    closed.catch(() => undefined);
  } else {
    const log = createLogger('generator', verbose ? 'debug' : (process.env.ORDERFLOW_LOG_LEVEL ?? 'info'));
    const names = pipelineNames(settings.topicPrefix);
    const release = acquireGeneratorLock(settings.home, settings.topicPrefix, names.topic('unpaid'));
    try {
      // Connecting fences any other generator of this pipeline (its open transaction is aborted), so
      // the progress read next is final: nobody else can add to it.
      const kafkaSink = await TransactionalOrderSink.open({
        ...settings,
        log,
        transactionalId: names.transactionalId('generator', 'main'),
        progressTopic: names.generatorProgress,
      });
      sink = kafkaSink;
      close = async () => {
        await kafkaSink.close();
        release();
      };
      const runs = await loadProgress(settings.kafkaBootstrap, names.generatorProgress);
      if (from === undefined) {
        const chosen = defaultBackfillFrom(runs.values(), settings.seed, model, systemClock.now());
        from = chosen.from;
        if (chosen.resumed)
          log.info({ from: new Date(from).toISOString() }, 'no --from: going on with the previous backfill');
      }
      const key = runKey(settings.seed, from, run.mode, model);
      const progress = runs.get(key) ?? newProgress(key, settings.seed, from, run.mode);
      kafkaSink.resume(progress);
      skip = progress.produced;
      if (skip > 0)
        process.stderr.write(
          `generate: run "${key}" has ${skip} orders committed (last ${progress.lastOrderDate}): going on after them\n`,
        );
    } catch (error) {
      release();
      throw error;
    }
  }
  checkWindow(from, run.until);

  const config = makeConfig({
    seed: settings.seed,
    from,
    until: run.until,
    ...(run.count === undefined ? {} : { count: run.count }),
  });
  const started = performance.now();
  let lastReport = started;
  let simulated = from;
  const report = (final: 'done' | 'stopped' | null): void => {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(sink.written / seconds) : 0;
    const acked = sink instanceof TransactionalOrderSink ? `, ${sink.acknowledged} acknowledged` : '';
    process.stderr.write(
      `generate: ${sink.written} orders${acked}, ${rate} orders/s, simulated ${new Date(simulated).toISOString()}${final ? ` (${final})` : ''}\n`,
    );
  };

  try {
    let n = 0;
    let index = 0;
    for (const order of generateOrders(config, systemClock)) {
      if (stopping) break;
      simulated = order.order_date;
      if (index++ < skip) continue; // committed by an earlier process of this run
      if (run.mode === 'live') {
        // Wait until the order's event time is reached on the simulated clock.
        for (let waited = false; ; waited = true) {
          const simNow = from + (performance.now() - started) * run.speed;
          const wait = (order.order_date - simNow) / run.speed;
          if (wait <= 0 || stopping) break;
          // Before waiting, show what was generated so far (JSON lines are buffered).
          if (!waited && sink instanceof JsonLinesSink) await sink.flush();
          await sleep(Math.min(wait, 500));
          maybeReport();
        }
        if (stopping) break;
      }
      if (run.rate !== undefined) {
        const ahead = (sink.written + 1) / run.rate - (performance.now() - started) / 1000;
        if (ahead > 0) await sleep(ahead * 1000);
      }
      const pending = sink.write(order);
      if (pending) await pending;
      // Let signals and timers in now and then, even when nothing else waits.
      if (++n % 2000 === 0) await new Promise((resolve) => setImmediate(resolve));
      maybeReport();
    }
    await sink.flush();
  } finally {
    await close();
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
  report(stopping ? 'stopped' : 'done');

  function maybeReport(): void {
    const now = performance.now();
    if (now - lastReport >= PROGRESS_EVERY_MS) {
      lastReport = now;
      report(null);
    }
  }
}
