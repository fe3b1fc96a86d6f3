/**
 * The raw pass-through as a process of its own, so that it runs like a stage (own heap, own event
 * loop, own CPU account) and not inside the benchmark process that holds the input.
 * Started by the benchmark with its options as one JSON argument; prints "ready" once subscribed,
 * then one JSON line with the commit trace, and exits.
 */
import { createLogger } from '../common/logger.ts';
import { passThrough, type PassThroughOptions } from './kafka-io.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as Omit<PassThroughOptions, 'onReady'> & {
  bootstrap: string;
  partitions: number;
};
const log = createLogger('bench-passthrough', process.env.ORDERFLOW_LOG_LEVEL ?? 'warn');
try {
  const result = await passThrough(
    { bootstrap: options.bootstrap, partitions: options.partitions, log },
    { ...options, onReady: () => process.stdout.write('ready\n') },
  );
  process.stdout.write(`${JSON.stringify({ ok: true, ...result })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ ok: false, error: String(error) })}\n`);
  process.exitCode = 1;
}
