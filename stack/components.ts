import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { OrderflowError } from '../common/errors.ts';
import { isAlive, launch, launchedProcessGone, runningPid, stopPid } from './process.ts';
import type { StackPaths, StackSettings } from './settings.ts';

const PG_BIN = process.env.ORDERFLOW_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** One process of the local stack. */
export interface Component {
  name: string;
  port: number;
  logFile: string;
  /** Answers "is it up and usable" without side effects. */
  healthy(): Promise<boolean>;
  /** The pid of the process `start` launched, if it is still running. */
  pid(): number | undefined;
  /**
   * True once the process `start` launched has died. Unlike `pid()` this does not look for the
   * component's marker on the command line, which a process just spawned may not show yet.
   */
  exited(): boolean;
  start(): Promise<void>;
  stop(): Promise<'stopped' | 'killed' | 'not running'>;
  url: string;
}

export function components(s: StackSettings, p: StackPaths): Component[] {
  return [postgres(s, p), kafka(s, p), registry(s, p), connect(s, p)];
}

// ---------------------------------------------------------------------------------------------------
// PostgreSQL: a private cluster under the state directory, on its own port and socket directory.

/**
 * Where the cluster's data, socket and log live. Normally under the state directory; but when run as
 * root the cluster belongs to the `postgres` user, and if that user cannot reach the state directory
 * (a checkout inside a private directory, e.g. one made by mktemp -d), the cluster goes under
 * /var/lib/postgresql/orderflow-<hash of the state directory> instead: still one per state directory.
 */
export function postgresPaths(p: StackPaths): {
  dataDir: string;
  socketDir: string;
  logFile: string;
  base?: string;
} {
  const underHome = {
    dataDir: path.join(p.data, 'postgres'),
    socketDir: path.join(p.run, 'postgres'),
    logFile: path.join(p.logs, 'postgres.log'),
  };
  if (process.getuid?.() !== 0) return underHome;
  let existing = p.home;
  while (!existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  try {
    execFileSync('runuser', ['-u', 'postgres', '--', 'test', '-x', existing], { stdio: 'ignore' });
    return underHome;
  } catch {
    const base = `/var/lib/postgresql/orderflow-${createHash('sha256').update(p.home).digest('hex').slice(0, 12)}`;
    return {
      dataDir: path.join(base, 'data'),
      socketDir: path.join(base, 'run'),
      logFile: path.join(base, 'postgres.log'),
      base,
    };
  }
}

function postgres(s: StackSettings, p: StackPaths): Component {
  const { dataDir, socketDir, logFile, base } = postgresPaths(p);
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const asRoot = process.getuid?.() === 0;
  // initdb refuses to run as root: the cluster then belongs to the `postgres` system user.
  const run = (bin: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(PG_BIN, bin), ...args], { stdio: 'pipe' })
      : execFileSync(path.join(PG_BIN, bin), args, { stdio: 'pipe' });
  const own = (target: string, isFile = false) => {
    if (!isFile) mkdirSync(target, { recursive: true });
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      chownSync(target, uid, gid);
    }
  };
  const pid = () => {
    if (!existsSync(pidFile)) return undefined;
    const n = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
    return Number.isInteger(n) && isAlive(n) ? n : undefined;
  };
  return {
    name: 'postgres',
    port: s.pgPort,
    logFile,
    url: `postgres://orderflow@127.0.0.1:${s.pgPort}/orderflow`,
    pid,
    exited: () => false, // pg_ctl start -w waits for the server itself
    healthy: async () => {
      try {
        execFileSync(path.join(PG_BIN, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(s.pgPort)], {
          stdio: 'ignore',
        });
        return true;
      } catch {
        return false;
      }
    },
    start: async () => {
      if (!existsSync(path.join(PG_BIN, 'initdb'))) {
        throw new OrderflowError(
          'ORDERFLOW_STACK_NOT_INSTALLED',
          `PostgreSQL 15 binaries not found in ${PG_BIN}: run scripts/setup.sh (or set ORDERFLOW_PG_BIN)`,
        );
      }
      for (const dir of [p.data, p.logs, p.run]) mkdirSync(dir, { recursive: true });
      if (base) own(base);
      own(socketDir);
      const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'));
      if (fresh) {
        own(dataDir);
        run('initdb', ['-D', dataDir, '-U', 'orderflow', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
      }
      own(path.dirname(logFile));
      if (!existsSync(logFile)) writeFileSync(logFile, '');
      own(logFile, true);
      const opts = `-p ${s.pgPort} -k ${socketDir} -h 127.0.0.1 -c shared_buffers=256MB -c max_connections=200 -c synchronous_commit=off`;
      run('pg_ctl', [
        '-D',
        dataDir,
        '-l',
        logFile,
        '-o',
        opts,
        '-w',
        '-t',
        String(s.startTimeoutSec),
        'start',
      ]);
      // Databases: the warehouse (orderflow) and the registry's storage (apicurio). Created if missing.
      const list = run('psql', [
        '-h',
        '127.0.0.1',
        '-p',
        String(s.pgPort),
        '-U',
        'orderflow',
        '-d',
        'postgres',
        '-tAc',
        'select datname from pg_database',
      ])
        .toString()
        .split('\n');
      for (const db of ['orderflow', 'apicurio']) {
        if (!list.includes(db))
          run('createdb', ['-h', '127.0.0.1', '-p', String(s.pgPort), '-U', 'orderflow', db]);
      }
    },
    stop: async () => {
      if (pid() === undefined) return 'not running';
      run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
      return 'stopped';
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// JVM components share the launch/pid-file/stop logic.

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

function jvm(
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

function requireDir(dir: string, what: string): void {
  if (!existsSync(dir) || readdirSync(dir).length === 0) {
    throw new OrderflowError(
      'ORDERFLOW_STACK_NOT_INSTALLED',
      `${what} not found in ${dir}: run scripts/setup.sh`,
    );
  }
}

function log4j2(p: StackPaths, name: string): string {
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

function kafkaClasspath(p: StackPaths): string {
  requireDir(p.kafkaLib, 'Kafka jars');
  return path.join(p.kafkaLib, '*');
}

async function tcpOpen(port: number): Promise<boolean> {
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

async function httpOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------
// Kafka: single-node KRaft (broker + controller), transactions at replication factor 1.

function kafka(s: StackSettings, p: StackPaths): Component {
  const dataDir = path.join(p.data, 'kafka');
  return jvm(
    'kafka',
    s.kafkaPort,
    p,
    `127.0.0.1:${s.kafkaPort}`,
    () => tcpOpen(s.kafkaPort),
    () => {
      mkdirSync(p.conf, { recursive: true });
      const props = path.join(p.conf, 'server.properties');
      writeFileSync(
        props,
        [
          'process.roles=broker,controller',
          'node.id=1',
          `controller.quorum.bootstrap.servers=127.0.0.1:${s.kafkaControllerPort}`,
          `listeners=PLAINTEXT://127.0.0.1:${s.kafkaPort},CONTROLLER://127.0.0.1:${s.kafkaControllerPort}`,
          `advertised.listeners=PLAINTEXT://127.0.0.1:${s.kafkaPort},CONTROLLER://127.0.0.1:${s.kafkaControllerPort}`,
          'controller.listener.names=CONTROLLER',
          'inter.broker.listener.name=PLAINTEXT',
          'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
          `log.dirs=${dataDir}`,
          'num.partitions=6',
          'auto.create.topics.enable=false',
          'offsets.topic.replication.factor=1',
          'transaction.state.log.replication.factor=1',
          'transaction.state.log.min.isr=1',
          'share.coordinator.state.topic.replication.factor=1',
          'share.coordinator.state.topic.min.isr=1',
          'min.insync.replicas=1',
          'default.replication.factor=1',
          'group.initial.rebalance.delay.ms=0',
          'log.retention.hours=-1',
          'log.segment.bytes=268435456',
          '',
        ].join('\n'),
      );
      const cp = kafkaClasspath(p);
      const log = log4j2(p, 'kafka');
      const jvmArgs = [
        '-Xms256m',
        '-Xmx768m',
        '-XX:+UseG1GC',
        `-Dlog4j2.configurationFile=${log}`,
        '-cp',
        cp,
      ];
      if (!existsSync(path.join(dataDir, 'meta.properties'))) {
        // The cluster id is 16 random bytes in URL-safe base64, as `kafka-storage random-uuid` prints.
        const clusterId = randomBytes(16).toString('base64url');
        execFileSync(
          'java',
          [...jvmArgs, 'kafka.tools.StorageTool', 'format', '--standalone', '-t', clusterId, '-c', props],
          { stdio: 'pipe' },
        );
      }
      return { args: [...jvmArgs, 'kafka.Kafka', props] };
    },
  );
}

// ---------------------------------------------------------------------------------------------------
// Apicurio Registry: Confluent-compatible API at /apis/ccompat/v7, schemas stored in PostgreSQL.

function registry(s: StackSettings, p: StackPaths): Component {
  const base = `http://127.0.0.1:${s.registryPort}`;
  return jvm(
    'registry',
    s.registryPort,
    p,
    `${base}/apis/ccompat/v7`,
    () => httpOk(`${base}/apis/ccompat/v7/subjects`),
    () => {
      requireDir(p.apicurio, 'Apicurio Registry');
      const sys = {
        'quarkus.http.host': '127.0.0.1',
        'quarkus.http.port': s.registryPort,
        'quarkus.management.host': '127.0.0.1',
        'quarkus.management.port': s.registryManagementPort,
        'apicurio.storage.kind': 'sql',
        'apicurio.storage.sql.kind': 'postgresql',
        'apicurio.datasource.url': `jdbc:postgresql://127.0.0.1:${s.pgPort}/apicurio`,
        'apicurio.datasource.username': 'orderflow',
        'apicurio.datasource.password': 'orderflow',
        'apicurio.rest.deletion.artifact.enabled': 'true',
        'apicurio.rest.deletion.artifact-version.enabled': 'true',
        'apicurio.rest.deletion.group.enabled': 'true',
        'quarkus.log.level': 'INFO',
      };
      const args = [
        '-Xms128m',
        '-Xmx512m',
        ...Object.entries(sys).map(([k, v]) => `-D${k}=${v}`),
        '-jar',
        path.join(p.apicurio, 'quarkus-run.jar'),
      ];
      return { args, cwd: p.apicurio, java: findJava(21) };
    },
  );
}

// ---------------------------------------------------------------------------------------------------
// Kafka Connect, distributed mode, with the Debezium JDBC sink and Apicurio's Avro converter.

function connect(s: StackSettings, p: StackPaths): Component {
  const base = `http://127.0.0.1:${s.connectPort}`;
  return jvm(
    'connect',
    s.connectPort,
    p,
    base,
    async () => {
      try {
        const res = await fetch(`${base}/connector-plugins`, { signal: AbortSignal.timeout(2000) });
        if (!res.ok) return false;
        const plugins = (await res.json()) as { class: string }[];
        return plugins.some((x) => x.class === 'io.debezium.connector.jdbc.JdbcSinkConnector');
      } catch {
        return false;
      }
    },
    () => {
      requireDir(p.plugins, 'Connect plugins');
      mkdirSync(p.conf, { recursive: true });
      const props = path.join(p.conf, 'connect-distributed.properties');
      writeFileSync(
        props,
        [
          `bootstrap.servers=127.0.0.1:${s.kafkaPort}`,
          'group.id=orderflow-connect',
          'key.converter=org.apache.kafka.connect.storage.StringConverter',
          'value.converter=org.apache.kafka.connect.json.JsonConverter',
          'config.storage.topic=_orderflow_connect_configs',
          'offset.storage.topic=_orderflow_connect_offsets',
          'status.storage.topic=_orderflow_connect_status',
          'config.storage.replication.factor=1',
          'offset.storage.replication.factor=1',
          'status.storage.replication.factor=1',
          'offset.flush.interval.ms=2000',
          `listeners=http://127.0.0.1:${s.connectPort}`,
          'rest.advertised.host.name=127.0.0.1',
          `rest.advertised.port=${s.connectPort}`,
          `plugin.path=${p.plugins}`,
          'plugin.discovery=hybrid_warn',
          'connector.client.config.override.policy=All',
          '',
        ].join('\n'),
      );
      const log = log4j2(p, 'connect');
      return {
        args: [
          '-Xms256m',
          '-Xmx1g',
          `-Dlog4j2.configurationFile=${log}`,
          '-cp',
          kafkaClasspath(p),
          'org.apache.kafka.connect.cli.ConnectDistributed',
          props,
        ],
      };
    },
  );
}
