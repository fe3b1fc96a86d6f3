/**
 * An orderflow service (a stage, the splitter) as a child process, exactly as an operator runs it,
 * with its JSON log lines parsed: the crash tests wait for a log line, kill it with SIGKILL and
 * start it again. Its whole output is kept in test-artifacts/services/ for a failure's post-mortem.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ORDERFLOW_BIN } from './helpers.ts';

/**
 * `orderflow <args>` run to its end, as an operator runs a command: its exit code and output. `env`
 * is added to the test's environment (log level warn unless it says otherwise).
 */
export function runOrderflow(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [ORDERFLOW_BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ORDERFLOW_LOG_LEVEL: 'warn', ...env },
    timeout: 180_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface ServiceRun {
  child: ChildProcess;
  /** Resolves when the log has shown `count` lines with this message (rejects if it exits first). */
  logged(message: string, count?: number): Promise<void>;
  /** Sum of a numeric field over the log lines with this message. */
  sum(message: string, field: string): number;
  exit: Promise<number | null>;
}

/**
 * A stage (`orderflow process <stage>`) as an operator runs it: on the topic prefix, with a stable
 * instance id, no metrics port; `extra` flags after those (a group, a batch size, a seed, pacing).
 */
export function spawnStage(
  stage: string,
  prefix: string,
  instanceId: string,
  extra: string[] = [],
): ServiceRun {
  return spawnService([
    'process',
    stage,
    '--topic-prefix',
    prefix,
    '--instance-id',
    instanceId,
    '--port',
    '0',
    ...extra,
  ]);
}

export function spawnService(args: string[]): ServiceRun {
  const child = spawn(process.execPath, [ORDERFLOW_BIN, ...args], {
    env: { ...process.env, ORDERFLOW_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const dir = path.resolve('test-artifacts', 'services');
  mkdirSync(dir, { recursive: true });
  const logFile = createWriteStream(path.join(dir, `${args[0]}-${Date.now()}-${child.pid}.log`));
  child.stdout!.pipe(logFile);
  child.stderr!.pipe(logFile);
  const lines: { msg?: string; [field: string]: unknown }[] = [];
  const waiters: { message: string; count: number; resolve: () => void }[] = [];
  const countOf = (message: string) => lines.filter((l) => l.msg === message).length;
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const part of parts) {
      try {
        const line = JSON.parse(part) as { msg?: string };
        // Keep what a test may wait for or sum, not every batch line of a long run.
        if (lines.length < 100_000) lines.push(line);
      } catch {
        // not a log line
      }
    }
    for (const w of waiters) if (countOf(w.message) >= w.count) w.resolve();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exit,
    logged: (message, count = 1) =>
      new Promise<void>((resolve, reject) => {
        if (countOf(message) >= count) return resolve();
        waiters.push({ message, count, resolve });
        void exit.then(() => reject(new Error(`${args[0]} exited before logging "${message}" x${count}`)));
      }),
    sum: (message, field) =>
      lines.filter((l) => l.msg === message).reduce((n, l) => n + Number(l[field] ?? 0), 0),
  };
}
