// JVM components (Kafka, the registry, Connect) share the launch/pid-file/stop logic, the log
// configuration, the Kafka classpath and the health probes.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { OrderflowError } from '../common/errors.ts';
import type { Component } from './components.ts';
import { launch, launchedProcessGone, runningPid, stopPid } from './process.ts';
import type { StackPaths } from './settings.ts';

/**
 * The java executable for a component: Apicurio Registry 3.3 needs Java 21 or newer, while Debian 12's
 * default is 17. Machines of this kind carry a newer JDK under /usr/lib/jvm (Temurin); ORDERFLOW_JAVA21_HOME
 * overrides the search.
 */
export function findJava(minVersion: number): string {
  const candidates: string[] = [];
  if (process.env.ORDERFLOW_JAVA21_HOME) candidates.push(process.env.ORDERFLOW_JAVA21_HOME);
  if (process.env.JAVA_HOME) candidates.push(process.env.JAVA_HOME);
  if (existsSync('/usr/lib/jvm')) {
    for (const d of readdirSync('/usr/lib/jvm').sort().reverse())
      candidates.push(path.join('/usr/lib/jvm', d));
  }
  for (const home of candidates) {
    const release = path.join(home, 'release');
    if (!existsSync(release) || !existsSync(path.join(home, 'bin', 'java'))) continue;
    const m = /JAVA_VERSION="(\d+)/.exec(readFileSync(release, 'utf8'));
    if (m && Number(m[1]) >= minVersion) return path.join(home, 'bin', 'java');
  }
  throw new OrderflowError(
    'ORDERFLOW_STACK_NOT_INSTALLED',
    `Apicurio Registry needs Java ${minVersion}+, and no such JDK was found under /usr/lib/jvm: install one and set ORDERFLOW_JAVA21_HOME`,
  );
}

export function jvm(
  name: string,
  port: number,
  p: StackPaths,
  url: string,
  healthy: () => Promise<boolean>,
  build: () => { args: string[]; cwd?: string; env?: NodeJS.ProcessEnv; java?: string },
): Component {
  const logFile = path.join(p.logs, `${name}.log`);
  const pidFile = path.join(p.run, `${name}.pid`);
  const marker = `-Dorderflow.component=${name}`;
  return {
    name,
    port,
    logFile,
    url,
    healthy,
    pid: () => runningPid(pidFile, marker),
    exited: () => launchedProcessGone(pidFile),
    start: async () => {
      const { args, cwd, env, java = 'java' } = build();
      launch({ name, command: java, args: [marker, ...args], cwd, env, logFile, pidFile, marker });
    },
    stop: async () => {
      const pid = runningPid(pidFile, marker);
      return pid === undefined ? 'not running' : stopPid(pid, pidFile);
    },
  };
}

export function requireDir(dir: string, what: string): void {
  if (!existsSync(dir) || readdirSync(dir).length === 0) {
    throw new OrderflowError(
      'ORDERFLOW_STACK_NOT_INSTALLED',
      `${what} not found in ${dir}: run scripts/setup.sh`,
    );
  }
}

export function log4j2(p: StackPaths, name: string): string {
  const file = path.join(p.conf, `${name}-log4j2.properties`);
  writeFileSync(
    file,
    [
      'status = warn',
      'appender.out.type = Console',
      'appender.out.name = OUT',
      'appender.out.layout.type = PatternLayout',
      'appender.out.layout.pattern = [%d] %p %m (%c)%n',
      'rootLogger.level = INFO',
      'rootLogger.appenderRef.out.ref = OUT',
      'logger.reflections.name = org.reflections',
      'logger.reflections.level = ERROR',
      'logger.clients.name = org.apache.kafka.clients',
      'logger.clients.level = WARN',
      // The broker replays every partition's metadata and loads every log at start-up, one INFO
      // line each: thousands of lines on a stack that has run the tests. Warnings still show.
      ...[
        'org.apache.kafka.controller',
        'state.change.logger',
        'org.apache.kafka.storage.internals.log',
        'kafka.log.LogManager',
        'kafka.cluster.Partition',
        'kafka.coordinator.transaction.TransactionStateManager',
        'org.apache.kafka.coordinator.common.runtime',
      ].flatMap((logger, i) => [`logger.quiet${i}.name = ${logger}`, `logger.quiet${i}.level = WARN`]),
      '',
    ].join('\n'),
  );
  return file;
}

export function kafkaClasspath(p: StackPaths): string {
  requireDir(p.kafkaLib, 'Kafka jars');
  return path.join(p.kafkaLib, '*');
}

export async function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: 1000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function httpOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}
