/**
 * The splitter service (splitter/service.ts) in a process of its own for the benchmark, like the
 * stages: started with its options as one JSON argument, prints "ready" once consuming, then one
 * JSON line with the commit trace when `expected` input records are committed, and exits.
 */
import { createLogger } from '../common/logger.ts';
import { startSplitter } from '../splitter/service.ts';
import { newTrace, noteCommit, waitFor } from './kafka-io.ts';

const o = JSON.parse(process.argv[2] ?? '{}') as {
  bootstrap: string;
  registryUrl: string;
  prefix: string;
  instance: string;
  batchSize: number;
  expected: number;
  timeoutMs: number;
};
const log = createLogger('bench-splitter', process.env.ORDERFLOW_LOG_LEVEL ?? 'warn');
try {
  const runtime = await startSplitter({
    kafkaBootstrap: o.bootstrap,
    registryUrl: o.registryUrl,
    topicPrefix: o.prefix,
    instanceId: o.instance,
    batchSize: o.batchSize,
    log,
  });
  process.stdout.write('ready\n');
  const trace = newTrace();
  let seen = 0;
  const done = await waitFor(
    () => {
      const n = runtime.processedRecords;
      if (n > seen) {
        noteCommit(trace, n - seen);
        seen = n;
      }
      return n >= o.expected;
    },
    o.timeoutMs,
    10,
  );
  await runtime.stop();
  process.stdout.write(`${JSON.stringify({ ok: true, trace, timedOut: !done })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ ok: false, error: String(error) })}\n`);
  process.exitCode = 1;
}
