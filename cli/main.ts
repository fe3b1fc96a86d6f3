/**
 * The `orderflow` command line. Each part of the system registers its own commands from its own
 * folder; this file only wires them and turns known errors into a clear message and exit code.
 */
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { describeError, isOrderflowError } from '../common/errors.ts';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const program = new Command('orderflow')
  .version(version)
  .description('An order-lifecycle streaming pipeline on Kafka: generate, process, split, land and look.')
  .option('--verbose', 'print stack traces for errors')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

type Registrar = (program: Command) => void;
const parts: Promise<{ register: Registrar }>[] = [
  import('../stack/command.ts'),
  import('./run.ts'),
  import('./config-command.ts'),
  import('../producer/command.ts'),
  import('../warehouse/command.ts'),
  import('../connect/command.ts'),
  import('../splitter/command.ts'),
  import('../processors/command.ts'),
  import('../bench/command.ts'),
  import('../dashboard/command.ts'),
  import('../dashboard/kafka/command.ts'),
  import('../flink/command.ts'),
  import('../support/command.ts'),
  import('../shop/command.ts'),
  import('../stock/command.ts'),
  import('../storefront/command.ts'),
  import('../api/command.ts'),
  // more parts register here: producer, processors, splitter, connect, warehouse, dashboard, bench
];

// `orderflow ... | head` closes stdout early: that is not an error. A command that must clean up
// first (`orderflow sql` cancels its Flink job) listens itself, and exits when it is done.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') {
    if (process.stdout.listenerCount('error') > 1) return;
    process.exit(0);
  }
  throw error;
});

async function main(): Promise<void> {
  for (const part of await Promise.all(parts)) part.register(program);
  await program.parseAsync(process.argv);
}

main().catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // commander already printed the message (or the help/version text)
    process.exit(error.exitCode);
  }
  const verbose = process.argv.includes('--verbose');
  if (isOrderflowError(error)) {
    console.error(`orderflow: ${error.message} [${error.code}]`);
    if (verbose && error.cause) console.error(error.cause);
  } else {
    console.error(`orderflow: unexpected error: ${describeError(error)}`);
  }
  if (verbose && error instanceof Error) console.error(error.stack);
  process.exitCode = 1;
});
