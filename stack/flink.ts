/**
 * Apache Flink on the local stack, assembled from Maven Central (stack/flink/pom.xml: no flink-dist
 * there): a session cluster of one JobManager (REST API and web UI) and one TaskManager, and the SQL
 * Gateway in front of it. The three JVMs share one classpath and one generated config.yaml; they are
 * launched directly (no bin/*.sh), so the Java 17 module flags and the TaskManager's memory
 * parameters, which Flink's scripts normally add, are added here.
 *
 * Memory, chosen for a 2-core, 24 GB machine that also runs Kafka, Connect, the registry and
 * PostgreSQL: JobManager 1 GB process (heap ~450 MB), TaskManager 1.5 GB process (heap ~720 MB,
 * 128 MB managed memory, 4 slots), SQL Gateway 512 MB heap.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OrderflowError } from '../common/errors.ts';
import type { Component } from './components.ts';
import { httpOk, jvm, log4j2, requireDir } from './jvm.ts';
import type { StackPaths, StackSettings } from './settings.ts';

export const FLINK_JOBMANAGER_MEMORY = '1024m';
export const FLINK_TASKMANAGER_MEMORY = '1536m';
export const FLINK_TASK_SLOTS = 4;
export const FLINK_GATEWAY_HEAP = '512m';

/** The flags Flink's own config.yaml puts in env.java.opts.all for Java 17 (flink-dist 2.3.0). */
export const FLINK_JAVA_OPTS = [
  '--add-exports=java.base/sun.net.util=ALL-UNNAMED',
  '--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED',
  '--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED',
  '--add-opens=java.base/java.lang=ALL-UNNAMED',
  '--add-opens=java.base/java.net=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens=java.base/java.lang.reflect=ALL-UNNAMED',
  '--add-opens=java.base/java.text=ALL-UNNAMED',
  '--add-opens=java.base/java.time=ALL-UNNAMED',
  '--add-opens=java.base/java.util=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED',
];

export function flinkPaths(p: StackPaths) {
  const data = path.join(p.data, 'flink');
  return {
    confDir: path.join(p.conf, 'flink'),
    data,
    tmp: path.join(data, 'tmp'),
    checkpoints: path.join(data, 'checkpoints'),
  };
}

/** Flink's config.yaml for the three processes (flat dotted keys, which Flink 2 reads as YAML). */
export function flinkConfig(s: StackSettings, p: StackPaths): Record<string, string | number> {
  const f = flinkPaths(p);
  return {
    'jobmanager.bind-host': '127.0.0.1',
    'jobmanager.rpc.address': '127.0.0.1',
    'jobmanager.rpc.port': s.flinkRpcPort,
    'blob.server.port': s.flinkRpcPort + 1,
    'jobmanager.memory.process.size': FLINK_JOBMANAGER_MEMORY,
    'jobmanager.execution.failover-strategy': 'region',
    'taskmanager.bind-host': '127.0.0.1',
    'taskmanager.host': '127.0.0.1',
    // Any free port: a TaskManager started again after a crash must not come back on its
    // predecessor's RPC address, which the JobManager's remoting can still hold as a stale
    // (read-only) association, so that it discards every registration from the new one (seen in
    // CI: the job waited 4 minutes for a slot and failed).
    'taskmanager.rpc.port': 0,
    'taskmanager.data.port': s.flinkRpcPort + 3,
    'taskmanager.numberOfTaskSlots': FLINK_TASK_SLOTS,
    'taskmanager.memory.process.size': FLINK_TASKMANAGER_MEMORY,
    // Window aggregations need some managed memory (0 fails HOP/SESSION windows); the heap state
    // backend keeps the rest on the heap.
    'taskmanager.memory.managed.size': '128m',
    'parallelism.default': 1,
    'rest.address': '127.0.0.1',
    'rest.bind-address': '127.0.0.1',
    'rest.port': s.flinkRestPort,
    'sql-gateway.endpoint.rest.address': '127.0.0.1',
    'sql-gateway.endpoint.rest.bind-address': '127.0.0.1',
    'sql-gateway.endpoint.rest.port': s.flinkGatewayPort,
    // Statements from the gateway run on the session cluster above, not in a MiniCluster of their own.
    'execution.target': 'remote',
    'io.tmp.dirs': f.tmp,
    'state.checkpoints.dir': `file://${f.checkpoints}`,
    // A job restarts from its latest checkpoint after a failure (a TaskManager killed included).
    'restart-strategy.type': 'exponential-delay',
    'restart-strategy.exponential-delay.initial-backoff': '1 s',
    'restart-strategy.exponential-delay.max-backoff': '10 s',
    // A TaskManager killed with kill -9 is noticed in seconds, not after the default 50 s.
    'heartbeat.timeout': 15000,
    'heartbeat.interval': 3000,
  };
}

function writeFlinkConf(s: StackSettings, p: StackPaths): string {
  const f = flinkPaths(p);
  for (const dir of [f.confDir, f.tmp, f.checkpoints]) mkdirSync(dir, { recursive: true });
  const yaml = Object.entries(flinkConfig(s, p))
    .map(([k, v]) => `${k}: ${typeof v === 'number' ? v : JSON.stringify(v)}`)
    .join('\n');
  writeFileSync(path.join(f.confDir, 'config.yaml'), `${yaml}\n`);
  return f.confDir;
}

function flinkClasspath(p: StackPaths): string {
  requireDir(p.flinkLib, 'Apache Flink jars');
  return path.join(p.flinkLib, '*');
}

/**
 * The JVM flags and dynamic properties that Flink's jobmanager.sh / taskmanager.sh compute from the
 * configured process size (BashJavaUtils prints them: two result lines).
 */
function resourceParams(
  p: StackPaths,
  confDir: string,
  which: 'JM' | 'TM',
): { jvm: string[]; dynamic: string[] } {
  const out = execFileSync(
    'java',
    [
      '-cp',
      flinkClasspath(p),
      'org.apache.flink.runtime.util.bash.BashJavaUtils',
      `GET_${which}_RESOURCE_PARAMS`,
      '--configDir',
      confDir,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const results = out
    .split('\n')
    .filter((l) => l.startsWith('BASH_JAVA_UTILS_EXEC_RESULT:'))
    .map((l) => l.slice('BASH_JAVA_UTILS_EXEC_RESULT:'.length).trim());
  if (results.length < 2)
    throw new OrderflowError(
      'ORDERFLOW_STACK_START_FAILED',
      `Flink's BashJavaUtils printed no ${which} resource parameters:\n${out.slice(-1500)}`,
    );
  const jvmFlags = results[0]!.split(/\s+/).filter(Boolean);
  // "-D key=value -D key=value": keep the pairs together.
  const dynamic = results[1]!.split(/\s+/).filter(Boolean);
  return { jvm: jvmFlags, dynamic };
}

async function jsonOf<T>(url: string): Promise<T | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok ? ((await res.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The command line of a JobManager or TaskManager: the memory flags BashJavaUtils computes for it
 * (what jobmanager.sh and taskmanager.sh would pass), Flink's JVM options, and its config dir.
 */
function flinkProcess(s: StackSettings, p: StackPaths, kind: 'JM' | 'TM', mainClass: string) {
  const conf = writeFlinkConf(s, p);
  const r = resourceParams(p, conf, kind);
  const args = [
    ...r.jvm,
    ...FLINK_JAVA_OPTS,
    `-Dlog4j.configurationFile=${log4j2(p, 'flink')}`,
    '-cp',
    flinkClasspath(p),
    mainClass,
    '--configDir',
    conf,
    ...r.dynamic,
  ];
  return { args, env: { FLINK_CONF_DIR: conf } };
}

export function flinkComponents(s: StackSettings, p: StackPaths): Component[] {
  const rest = `http://127.0.0.1:${s.flinkRestPort}`;
  const gateway = `http://127.0.0.1:${s.flinkGatewayPort}`;
  const jobmanager = jvm(
    'flink-jm',
    s.flinkRestPort,
    p,
    rest,
    () => httpOk(`${rest}/config`),
    () => flinkProcess(s, p, 'JM', 'org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint'),
  );
  const taskmanager = jvm(
    'flink-tm',
    s.flinkRpcPort + 3, // its data port: its RPC port is any free one
    p,
    `${rest}/taskmanagers`,
    async () => {
      // Registered with the JobManager and alive: a TaskManager killed stays listed until its
      // heartbeat times out, so the process itself must be up too.
      const tms = await jsonOf<{ taskmanagers: unknown[] }>(`${rest}/taskmanagers`);
      return (tms?.taskmanagers.length ?? 0) > 0 && taskmanager.pid() !== undefined;
    },
    () => flinkProcess(s, p, 'TM', 'org.apache.flink.runtime.taskexecutor.TaskManagerRunner'),
  );
  const sqlGateway = jvm(
    'flink-sql',
    s.flinkGatewayPort,
    p,
    gateway,
    () => httpOk(`${gateway}/v1/info`),
    () => {
      const conf = writeFlinkConf(s, p);
      const args = [
        `-Xmx${FLINK_GATEWAY_HEAP}`,
        `-Xms${FLINK_GATEWAY_HEAP}`,
        ...FLINK_JAVA_OPTS,
        `-Dlog4j.configurationFile=${log4j2(p, 'flink')}`,
        '-cp',
        flinkClasspath(p),
        'org.apache.flink.table.gateway.SqlGateway',
      ];
      // The gateway finds its config.yaml only through FLINK_CONF_DIR.
      return { args, env: { FLINK_CONF_DIR: conf } };
    },
  );
  return [jobmanager, taskmanager, sqlGateway];
}
