/**
 * The secured side of the local stack for one test file: a SCRAM user with a random password, the
 * librdkafka settings of a SASL_SSL client (set in process.env, as a user would export them), and a
 * second Kafka Connect worker of its own that reaches the broker through SASL_SSL only. The shared
 * Connect worker stays on PLAINTEXT for the other tests: restarting it per test would cost more.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectWorkerArgs, connectWorkerProperties } from '../../../stack/components.ts';
import { log4j2, tcpOpen } from '../../../stack/jvm.ts';
import { javaSaslClientProperties, SASL_MECHANISM, tlsPaths } from '../../../stack/kafka-sasl.ts';
import { deleteScramUser, setScramUser } from '../../../stack/scram-users.ts';
import { loadStack } from '../../../stack/stack.ts';
import { deleteTopicsWhere } from '../helpers.ts';

export interface SecuredCluster {
  bootstrap: string;
  user: string;
  password: string;
  /** The ORDERFLOW_KAFKA_* variables of a SASL_SSL client (also set in process.env). */
  clientEnv: Record<string, string>;
  close(): Promise<void>;
}

const { settings, paths } = loadStack();

/** Fail (not skip) when the stack under test has no SASL_SSL listener. */
export async function requireSaslListener(): Promise<number> {
  const port = settings.kafkaSaslPort;
  if (port === 0)
    throw new Error('ORDERFLOW_KAFKA_SASL_PORT=0: this test needs the SASL_SSL listener of the local stack');
  if (!(await tcpOpen(port)))
    throw new Error(
      `no SASL_SSL listener on 127.0.0.1:${port}: the broker started before it was configured; restart it (orderflow stack down && orderflow stack up)`,
    );
  return port;
}

export async function openSecuredCluster(): Promise<SecuredCluster> {
  const port = await requireSaslListener();
  const user = `orderflow-test-${randomBytes(4).toString('hex')}`;
  const password = randomBytes(24).toString('base64url');
  await setScramUser(paths, `127.0.0.1:${settings.kafkaPort}`, user, password);
  const clientEnv = {
    ORDERFLOW_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
    ORDERFLOW_KAFKA_SASL_MECHANISMS: SASL_MECHANISM,
    ORDERFLOW_KAFKA_SASL_USERNAME: user,
    ORDERFLOW_KAFKA_SASL_PASSWORD: password,
    ORDERFLOW_KAFKA_SSL_CA_LOCATION: tlsPaths(paths).caPem,
  };
  Object.assign(process.env, clientEnv);
  return {
    bootstrap: `127.0.0.1:${port}`,
    user,
    password,
    clientEnv,
    async close() {
      for (const name of Object.keys(clientEnv)) delete process.env[name];
      await deleteScramUser(paths, `127.0.0.1:${settings.kafkaPort}`, user);
    },
  };
}

export interface SecuredConnect {
  url: string;
  logFile: string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Start a Connect worker whose only route to Kafka is the SASL_SSL listener (its own group and
 * storage topics); its password reaches it through the environment, not its properties file.
 */
export async function startSecuredConnect(cluster: SecuredCluster, tag: string): Promise<SecuredConnect> {
  const port = await freePort();
  const storagePrefix = `_${tag}connect`;
  const props = path.join(paths.conf, `connect-${tag}.properties`);
  const tls = tlsPaths(paths);
  writeFileSync(
    props,
    connectWorkerProperties({
      bootstrap: cluster.bootstrap,
      groupId: `${tag}connect`,
      storagePrefix,
      port,
      pluginPath: paths.plugins,
      extra: javaSaslClientProperties(tls),
    }),
  );
  const logFile = path.join(paths.logs, `connect-${tag}.log`);
  const out = openSync(logFile, 'a');
  const child: ChildProcess = spawn(
    'java',
    connectWorkerArgs(paths, log4j2(paths, `connect-${tag}`), props),
    { env: { ...process.env, ...cluster.clientEnv }, stdio: ['ignore', out, out] },
  );
  closeSync(out);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    for (let i = 0; i < 60 && child.exitCode === null && child.signalCode === null; i++) await sleep(500);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the secured Connect worker exited: see ${logFile}`);
    try {
      const res = await fetch(`${url}/connector-plugins`, { signal: AbortSignal.timeout(2000) });
      const plugins = res.ok ? ((await res.json()) as { class: string }[]) : [];
      if (plugins.some((x) => x.class === 'io.debezium.connector.jdbc.JdbcSinkConnector')) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the secured Connect worker did not answer within 180 s: see ${logFile}`);
    }
    await sleep(1000);
  }
  return {
    url,
    logFile,
    async close() {
      await stop();
      for (const file of [props, path.join(paths.conf, `connect-${tag}-log4j2.properties`), logFile])
        rmSync(file, { force: true });
      await deleteTopicsWhere((t) => t.startsWith(storagePrefix), cluster.bootstrap);
    },
  };
}
