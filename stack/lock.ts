/**
 * One `stack up` or `stack down` at a time per ORDERFLOW_HOME. Without it, two started together (two
 * test runs, `orderflow run` while the tests start the stack) both start a component that is not
 * running yet: the one that loses the port exits, and its pid file can outlive it, so `stack down`
 * no longer finds the process that answers. The lock is a directory (proper-lockfile) whose mtime
 * the holder refreshes; a holder killed with -9 leaves it stale after STALE_MS, and the next one
 * takes it over.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { OrderflowError } from '../common/errors.ts';

const STALE_MS = 20_000;
const POLL_MS = 500;

/** The lock's path under the stack's run directory (the lock itself is `<path>.lock`). */
export function stackLockPath(runDir: string): string {
  return path.join(runDir, 'stack');
}

/**
 * Run `work` holding the stack lock; when another process holds it, say so once and wait for it,
 * at most `waitMs`.
 */
export async function withStackLock<T>(
  runDir: string,
  waitMs: number,
  report: (line: string) => void,
  work: () => Promise<T>,
): Promise<T> {
  mkdirSync(runDir, { recursive: true });
  const file = stackLockPath(runDir);
  const options = { realpath: false, stale: STALE_MS };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, options);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ELOCKED') throw error;
    report(`waiting: another orderflow stack up or down is at work on this stack (${file}.lock)`);
    try {
      release = await lockfile.lock(file, {
        ...options,
        retries: {
          retries: Math.ceil(waitMs / POLL_MS),
          factor: 1,
          minTimeout: POLL_MS,
          maxTimeout: POLL_MS,
        },
      });
    } catch (waited) {
      if ((waited as { code?: string }).code !== 'ELOCKED') throw waited;
      throw new OrderflowError(
        'ORDERFLOW_STACK_BUSY',
        `another orderflow stack up or down still holds ${file}.lock after ${Math.round(waitMs / 1000)} s; ` +
          'wait for it to end (or, if no such process runs, remove that directory)',
        { cause: waited },
      );
    }
  }
  try {
    return await work();
  } finally {
    await release();
  }
}
