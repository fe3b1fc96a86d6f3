/**
 * The local stack's components: what each one offers the stack manager, the order they start in,
 * and the three JVM services (Kafka, Apicurio Registry, Kafka Connect). The private PostgreSQL
 * cluster is in postgres.ts, the JVM launch logic in jvm.ts. test/unit/compose compares the broker
 * settings written by kafka() below (read from this file) with docker-compose.yml.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findJava, httpOk, jvm, kafkaClasspath, log4j2, requireDir, tcpOpen } from './jvm.ts';
import { flinkComponents } from './flink.ts';
import { ensureBrokerTls, saslListenerProperties } from './kafka-sasl.ts';
import { ftp } from './ftp.ts';
import { postgres } from './postgres.ts';
import type { StackPaths, StackSettings } from './settings.ts';

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
  /**
   * For a component already running: bring a setting that needs a restart in line (PostgreSQL's
   * wal_level); returns what it did, or undefined when nothing was needed.
   */
  reconfigure?(): Promise<string | undefined>;
  stop(): Promise<'stopped' | 'killed' | 'not running'>;
  url: string;
}

/**
 * The components in start order. Flink (flink.ts) comes last and only with ORDERFLOW_FLINK=on, or
 * with `withFlink` (stack down stops it whatever the setting says now).
 */
export function components(s: StackSettings, p: StackPaths, withFlink = s.flink === 'on'): Component[] {
  return [
    postgres(s, p),
    kafka(s, p),
    registry(s, p),
    connect(s, p),
    ftp(s, p),
    ...(withFlink ? flinkComponents(s, p) : []),
  ];
}

// ---------------------------------------------------------------------------------------------------
// Kafka: single-node KRaft (broker + controller), transactions at replication factor 1. With
// ORDERFLOW_KAFKA_SASL_PORT (default 9094; 0 = off) a third listener, SASL_SSL with SCRAM-SHA-512,
// for clients only: inter-broker and controller traffic stay PLAINTEXT (kafka-sasl.ts).

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
      const sasl = s.kafkaSaslPort > 0;
      const listeners = [
        `PLAINTEXT://127.0.0.1:${s.kafkaPort}`,
        `CONTROLLER://127.0.0.1:${s.kafkaControllerPort}`,
        ...(sasl ? [`SASL_SSL://127.0.0.1:${s.kafkaSaslPort}`] : []),
      ].join(',');
      writeFileSync(
        props,
        [
          'process.roles=broker,controller',
          'node.id=1',
          `controller.quorum.bootstrap.servers=127.0.0.1:${s.kafkaControllerPort}`,
          `listeners=${listeners}`,
          `advertised.listeners=${listeners}`,
          'controller.listener.names=CONTROLLER',
          'inter.broker.listener.name=PLAINTEXT',
          `listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT${sasl ? ',SASL_SSL:SASL_SSL' : ''}`,
          ...(sasl ? saslListenerProperties(ensureBrokerTls(p)) : []),
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
        // The cluster id is 16 random bytes in URL-safe base64, as `kafka-storage random-uuid` prints,
        // and like Kafka's own Uuid.randomUuid() never one that starts with '-': the format command
        // would read it as an option and refuse it.
        let clusterId = randomBytes(16).toString('base64url');
        while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url');
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
        // A PostgreSQL restart ends every pooled connection. Agroal validates idle connections only
        // every 2 minutes by default, so until then the registry answered each call on a dead one with
        // "terminating connection due to administrator command" (measured: 90 s of failed schema
        // registrations). Validated when borrowed (one local round trip), a dead one is replaced.
        'quarkus.datasource.postgresql.jdbc.validate-on-borrow': 'true',
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
        connectWorkerProperties({
          bootstrap: `127.0.0.1:${s.kafkaPort}`,
          groupId: 'orderflow-connect',
          storagePrefix: '_orderflow_connect',
          port: s.connectPort,
          pluginPath: p.plugins,
        }),
      );
      return { args: connectWorkerArgs(p, log4j2(p, 'connect'), props) };
    },
  );
}

/** A distributed Connect worker's properties (the stack's, or a second worker's in a test). */
export function connectWorkerProperties(w: {
  bootstrap: string;
  groupId: string;
  /** Prefix of the config/offset/status storage topics. */
  storagePrefix: string;
  port: number;
  pluginPath: string;
  /** More lines, e.g. the client security settings (kafka-sasl.ts). */
  extra?: string[];
}): string {
  return [
    `bootstrap.servers=${w.bootstrap}`,
    `group.id=${w.groupId}`,
    'key.converter=org.apache.kafka.connect.storage.StringConverter',
    'value.converter=org.apache.kafka.connect.json.JsonConverter',
    `config.storage.topic=${w.storagePrefix}_configs`,
    `offset.storage.topic=${w.storagePrefix}_offsets`,
    `status.storage.topic=${w.storagePrefix}_status`,
    'config.storage.replication.factor=1',
    'offset.storage.replication.factor=1',
    'status.storage.replication.factor=1',
    'offset.flush.interval.ms=2000',
    `listeners=http://127.0.0.1:${w.port}`,
    'rest.advertised.host.name=127.0.0.1',
    `rest.advertised.port=${w.port}`,
    `plugin.path=${w.pluginPath}`,
    'plugin.discovery=hybrid_warn',
    'connector.client.config.override.policy=All',
    ...(w.extra ?? []),
    '',
  ].join('\n');
}

/** The JVM arguments of a Connect worker with the given log configuration and properties file. */
export function connectWorkerArgs(p: StackPaths, log4j2File: string, propsFile: string): string[] {
  return [
    '-Xms256m',
    '-Xmx1g',
    `-Dlog4j2.configurationFile=${log4j2File}`,
    '-cp',
    kafkaClasspath(p),
    'org.apache.kafka.connect.cli.ConnectDistributed',
    propsFile,
  ];
}
