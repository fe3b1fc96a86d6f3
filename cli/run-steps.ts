/**
 * The child processes `run` waits for: the one-shot CLI steps (migrations, connector deploy), the
 * backfill in the foreground, and the errors that fail the run when one of them, or a service, fails.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OrderflowError } from '../common/errors.ts';

/** The orderflow CLI every step and service of `run` is started from. */
export const BIN = fileURLToPath(new URL('../bin/orderflow.mjs', import.meta.url));

/** `run --no-live` could not settle: one of its services exited by itself. */
export function serviceExited(s: { name: string; log: string; how: string }): OrderflowError {
  return new OrderflowError(
    'ORDERFLOW_RUN_STEP_FAILED',
    `the ${s.name} service exited (${s.how}) before the backfill had settled; its log: ${s.log}`,
    { context: { step: s.name, log: s.log } },
  );
}

/** A failed step of the run: which, its exit code and its log, as properties too. */
export function stepFailed(
  stepName: string,
  args: readonly string[],
  exitCode: number | null,
  log: string,
  output: string,
): OrderflowError {
  return new OrderflowError(
    'ORDERFLOW_RUN_STEP_FAILED',
    `\`orderflow ${args.join(' ')}\` failed (exit ${exitCode ?? 'by signal'}; log ${log}):\n${output}`,
    { context: { step: stepName, command: `orderflow ${args.join(' ')}`, exitCode, log } },
  );
}

/** Run one CLI step to completion (its output also in <logs>/<name>.log), failing the run if it fails. */
export function step(name: string, args: string[], logs: string): void {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  const log = path.join(logs, `${name}.log`);
  appendFileSync(log, `${r.stdout}${r.stderr}`);
  process.stdout.write(
    r.stdout
      .split('\n')
      .map((l) => (l ? `   ${l}` : l))
      .join('\n'),
  );
  if (r.status !== 0) throw stepFailed(name, args, r.status, log, `${r.stderr}${r.stdout}`);
}

/** Run the backfill in the foreground, its progress lines passed through. */
export async function runToEnd(name: string, args: string[], logs: string): Promise<void> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let last = '';
  child.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    process.stderr.write(text);
    last = text;
  });
  const log = path.join(logs, `${name}.log`);
  const fd = openSync(log, 'a');
  child.stdout.on('data', (chunk: Buffer) => writeSync(fd, chunk));
  const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  if (code !== 0) throw stepFailed(name, args, code, log, last);
}
