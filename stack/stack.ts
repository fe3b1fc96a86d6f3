import { setTimeout as sleep } from 'node:timers/promises';
import { loadSettings } from '../common/config.ts';
import { describeError, OrderflowError } from '../common/errors.ts';
import { components, type Component } from './components.ts';
import { tcpOpen } from './jvm.ts';
import { tlsPaths } from './kafka-sasl.ts';
import { withStackLock } from './lock.ts';
import { tail } from './process.ts';
import { setScramUser } from './scram-users.ts';
import { stackPaths, stackSettings, type StackSettings } from './settings.ts';

export interface ComponentStatus {
  name: string;
  port: number;
  pid: number | undefined;
  healthy: boolean;
  url: string;
  log: string;
}

export function loadStack(env: NodeJS.ProcessEnv = process.env) {
  const settings = loadSettings(stackSettings, env) as StackSettings;
  const paths = stackPaths(settings.home);
  const selected = components(settings, paths);
  const all = components(settings, paths, true);
  // Flink's components show when it is on, or when they run although it is off now.
  const shown = all.filter((c) => selected.some((x) => x.name === c.name) || c.pid() !== undefined);
  return { settings, paths, components: shown, all };
}

type Report = (line: string) => void;

/**
 * Start every component that is not already healthy, in dependency order (PostgreSQL, Kafka,
 * registry, Connect, then with ORDERFLOW_FLINK=on Flink's JobManager, TaskManager and SQL Gateway),
 * waiting for each. Idempotent: a healthy component is left alone.
 */
export async function stackUp(
  report: Report,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ComponentStatus[]> {
  const { settings, paths } = loadStack(env);
  const all = components(settings, paths);
  // Another up or down may run for as long as this one would: every component's start timeout.
  const waitMs = (all.length + 1) * settings.startTimeoutSec * 1000;
  await withStackLock(paths.run, waitMs, report, () => startAll(all, settings, report, env));
  return stackStatus(env);
}

async function startAll(
  all: Component[],
  settings: StackSettings,
  report: Report,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  for (const c of all) {
    if (await c.healthy()) {
      const owner =
        c.pid() === undefined ? ' (not started by this stack: another process answers on that port)' : '';
      report(`${c.name.padEnd(9)} already running on 127.0.0.1:${c.port}${owner}`);
      const changed = await c.reconfigure?.();
      if (changed) {
        report(`${c.name.padEnd(9)} ${changed}`);
        // Apicurio Registry's connection pool does not survive a PostgreSQL restart (every request
        // answers 500 with "terminating connection due to administrator command"): restart it too.
        const registry = all.find((x) => x.name === 'registry');
        if (c.name === 'postgres' && registry?.pid() !== undefined) {
          await registry.stop();
          report(
            'registry  stopped: it keeps dead connections after a PostgreSQL restart; starting it again',
          );
        }
      }
      if (c.name === 'kafka') await saslListenerUp(settings, report, env);
      continue;
    }
    if (c.pid() === undefined) {
      report(`${c.name.padEnd(9)} starting (log: ${c.logFile})`);
      try {
        await c.start();
      } catch (error) {
        throw startFailure(c, describeError(error), error);
      }
    } else {
      report(`${c.name.padEnd(9)} started earlier, waiting for it to answer`);
    }
    await waitHealthy(c, settings.startTimeoutSec * 1000);
    report(`${c.name.padEnd(9)} healthy on 127.0.0.1:${c.port}`);
    if (c.name === 'kafka') await saslListenerUp(settings, report, env);
  }
}

/**
 * The broker's SASL_SSL listener: say where it is, warn when a broker started before it was
 * configured lacks it, and create (or re-password) the SCRAM user named in the environment.
 */
async function saslListenerUp(s: StackSettings, report: Report, env: NodeJS.ProcessEnv): Promise<void> {
  if (s.kafkaSaslPort === 0) return;
  const paths = stackPaths(s.home);
  if (!(await tcpOpen(s.kafkaSaslPort))) {
    report(
      `kafka     has no SASL_SSL listener on 127.0.0.1:${s.kafkaSaslPort} (started before it was configured): restart with stack down, stack up`,
    );
    return;
  }
  report(`kafka     SASL_SSL (SCRAM-SHA-512) on 127.0.0.1:${s.kafkaSaslPort}, CA ${tlsPaths(paths).caPem}`);
  const user = env.ORDERFLOW_KAFKA_SASL_USERNAME;
  const password = env.ORDERFLOW_KAFKA_SASL_PASSWORD;
  if (user && password) {
    await setScramUser(paths, `127.0.0.1:${s.kafkaPort}`, user, password);
    report(`kafka     SCRAM user ${user} set from ORDERFLOW_KAFKA_SASL_USERNAME/_PASSWORD`);
  }
}

async function waitHealthy(c: Component, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await c.healthy()) return;
    if (c.exited()) throw startFailure(c, 'the process exited');
    await sleep(500);
  }
  throw startFailure(c, `not healthy after ${Math.round(timeoutMs / 1000)} s`);
}

function startFailure(c: Component, why: string, cause?: unknown): OrderflowError {
  return new OrderflowError(
    'ORDERFLOW_STACK_START_FAILED',
    `${c.name} failed to start: ${why}.\nLog: ${c.logFile}\n--- last lines ---\n${tail(c.logFile, 15)}`,
    { cause },
  );
}

/** Stop exactly the processes `up` started (by pid file), in reverse order. */
export async function stackDown(report: Report, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { all, paths, settings } = loadStack(env);
  await withStackLock(paths.run, (all.length + 1) * settings.startTimeoutSec * 1000, report, async () => {
    for (const c of [...all].reverse()) {
      const result = await c.stop();
      report(`${c.name.padEnd(9)} ${result}`);
    }
  });
}

export async function stackStatus(env: NodeJS.ProcessEnv = process.env): Promise<ComponentStatus[]> {
  const { components: all } = loadStack(env);
  return Promise.all(
    all.map(async (c) => ({
      name: c.name,
      port: c.port,
      pid: c.pid(),
      healthy: await c.healthy(),
      url: c.url,
      log: c.logFile,
    })),
  );
}
