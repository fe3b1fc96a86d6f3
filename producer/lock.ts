/**
 * One generator per pipeline on this machine: a pid file in $ORDERFLOW_HOME/run, taken when the
 * generator starts and removed when it stops. A second generator for the same topic prefix is
 * refused with the first one's pid; a file left by a killed generator (its pid gone, or now another
 * program) is taken over. Across machines, the transactional id does the same job (transactional-sink.ts).
 */
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OrderflowError } from '../common/errors.ts';

interface LockContent {
  pid: number;
  topic: string;
  startedAt: string;
}

/** Is `pid` a running orderflow generator (not a recycled pid of another program)? */
function generatorAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('generate');
  } catch {
    return true; // no /proc: trust the signal check
  }
}

export function lockPath(home: string, prefix: string): string {
  const safe = prefix.replace(/[^A-Za-z0-9_.-]/g, '_');
  return path.join(home, 'run', safe ? `generator-${safe}.pid` : 'generator.pid');
}

/** Take the pipeline's generator lock, or throw ORDERFLOW_GENERATOR_RUNNING. Returns its release. */
export function acquireGeneratorLock(home: string, prefix: string, topic: string): () => void {
  const file = lockPath(home, prefix);
  mkdirSync(path.dirname(file), { recursive: true });
  const mine: LockContent = { pid: process.pid, topic, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(mine), { flag: 'wx' });
      return () => {
        try {
          if ((JSON.parse(readFileSync(file, 'utf8')) as LockContent).pid === process.pid) unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let other: LockContent | undefined;
    try {
      other = JSON.parse(readFileSync(file, 'utf8')) as LockContent;
    } catch {
      other = undefined; // half-written or removed meanwhile: treat as stale
    }
    if (other && other.pid !== process.pid && generatorAlive(other.pid)) {
      throw new OrderflowError(
        'ORDERFLOW_GENERATOR_RUNNING',
        `another generator (pid ${other.pid}, started ${other.startedAt}) is producing to ${other.topic}: ` +
          `two would write the same orders twice. Stop it first (kill ${other.pid}), or use another --topic-prefix`,
        { context: { pid: other.pid, lock: file } },
      );
    }
    try {
      unlinkSync(file); // stale: its generator is gone
    } catch {
      // someone else removed it: try again
    }
  }
  throw new OrderflowError('ORDERFLOW_GENERATOR_RUNNING', `could not take the generator lock ${file}`);
}
