/**
 * docker-compose.yml checked without a Docker engine: valid against the Compose specification's
 * schema, files it builds and mounts exist, images pinned, versions in one place and in line with
 * the local stack, health checks and start order, the orderflow commands and settings it uses exist,
 * the connectors it deploys and the ksqlDB migrations it applies hold together. Every check also runs
 * on a deliberately broken copy, to show it can fail.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../common/config.ts';
import { renderSinks } from '../../../connect/sink-config.ts';
import { sinkSettings } from '../../../connect/settings.ts';
import { processorSettings } from '../../../processors/settings.ts';
import { generatorSettings } from '../../../producer/settings.ts';
import { allTopicNames, SINK_DLQ_TOPIC } from '../../../schemas/topics.ts';
import {
  addressProblems,
  buildOf,
  commandHelpProblems,
  createdTopics,
  envNameProblems,
  fileProblems,
  healthcheckPortProblems,
  healthProblems,
  imageProblems,
  kafkaProblems,
  listeningPorts,
  ksqlMigrationProblems,
  ksqlStatements,
  ksqlTopics,
  localKafkaSettings,
  orderflowCommands,
  parseDockerfile,
  pomProperties,
  portProblems,
  propertiesFile,
  schemaProblems,
  topicProblems,
  unpinnedReason,
  versionProblems,
} from './compose-checks.ts';
import {
  environmentOf,
  interpolate,
  loadRepoCompose,
  parseCompose,
  parseDotEnv,
  ROOT,
  rootPath,
  type ComposeFile,
} from './compose-model.ts';

const read = (...p: string[]) => readFileSync(rootPath(...p), 'utf8');
const { compose, vars, missing, yamlText } = loadRepoCompose();
const schema = JSON.parse(read('compose', 'compose-spec.json')) as Record<string, unknown>;
/** A fresh copy to break on purpose. */
const copy = (): ComposeFile => structuredClone(compose);
const USER_FACING = [
  'kafka',
  'kafka-ui',
  'dashboard',
  'api',
  'postgres',
  'ksqldb-server',
  'flink-jobmanager',
  'flink-sql-gateway',
] as const;

function dockerfilesOf(c: ComposeFile): Record<string, { text: string; buildArgs: Record<string, string> }> {
  const files: Record<string, { text: string; buildArgs: Record<string, string> }> = {};
  for (const s of Object.values(c.services)) {
    const b = buildOf(s);
    if (!b) continue;
    const file = path.join(b.context, b.dockerfile);
    files[file] = { text: readFileSync(path.resolve(ROOT, file), 'utf8'), buildArgs: b.args };
  }
  return files;
}

describe('compose file and .env', () => {
  it('reads every variable it uses from .env', () => {
    expect(missing).toEqual([]);
    expect(parseCompose('services:\n  a:\n    image: x:${NOT_IN_ENV}\n', vars).missing).toEqual([
      'NOT_IN_ENV',
    ]);
  });

  it('interpolates as Compose does', () => {
    const v = { A: 'a', E: '' };
    expect(interpolate('${A}-${B:-b}-${E:-e}-${E-e}-$$A-$A', v)).toBe('a-b-e--$A-a');
    const missed: string[] = [];
    interpolate('${B:?set B}', v, missed);
    expect(missed).toEqual(['B (set B)']);
    expect(parseDotEnv('# c\nX=1\nY="two words"\n')).toEqual({ X: '1', Y: 'two words' });
  });

  it('is valid against the Compose specification schema', () => {
    expect(schemaProblems(compose, schema)).toEqual([]);
    const broken = copy() as unknown as { services: Record<string, Record<string, unknown>> };
    broken.services.kafka!.restart = ['always'];
    broken.services.postgres!.healthcheck = { test: 'pg_isready', intervall: '5s' };
    expect(schemaProblems(broken, schema).length).toBeGreaterThanOrEqual(2);
  });

  it('builds and mounts only files that exist', () => {
    expect(fileProblems(compose, ROOT)).toEqual([]);
    const broken = copy();
    broken.services['ksql-migrations']!.volumes = ['./ksql/no-such-dir:/ksql:ro', 'undeclared:/data'];
    broken.services.connect!.build = { context: './compose/connect', dockerfile: 'Nope.Dockerfile' };
    expect(fileProblems(broken, ROOT)).toHaveLength(3);
  });

  it('pins every image, in the compose file and in the Dockerfiles it builds', () => {
    expect(imageProblems(compose, dockerfilesOf(compose))).toEqual([]);
    expect(unpinnedReason('postgres')).toBe('has no tag');
    expect(unpinnedReason('ghcr.io/kafbat/kafka-ui:latest')).toBe('is tagged latest');
    expect(unpinnedReason('localhost:5000/orderflow')).toBe('has no tag');
    expect(unpinnedReason('debian:bookworm-slim')).toMatch(/names no version/);
    expect(unpinnedReason('confluentinc/cp-kafka:8.3.1')).toBeUndefined();
    const broken = copy();
    broken.services['kafka-ui']!.image = 'ghcr.io/kafbat/kafka-ui:latest';
    const files = dockerfilesOf(compose);
    files['compose/connect/Dockerfile']!.buildArgs = { CP_VERSION: 'latest' };
    expect(imageProblems(broken, files)).toHaveLength(2);
  });

  it('takes its versions from .env, in line with stack/pom.xml, package.json and the Dockerfiles', () => {
    const pom = pomProperties(read('stack', 'pom.xml'));
    const pkg = JSON.parse(read('package.json')) as { version: string; engines?: { node?: string } };
    const defaults = Object.fromEntries(
      Object.entries(dockerfilesOf(compose)).map(([f, { text }]) => [f, parseDockerfile(text).argDefaults]),
    );
    expect(versionProblems(vars, pom, pkg, defaults)).toEqual([]);
    expect(pom['debezium.version']).toBe(vars.DEBEZIUM_JDBC_VERSION);
    // Build arguments carry the .env values (not literals that could drift from it).
    for (const [file, { buildArgs }] of Object.entries(dockerfilesOf(compose))) {
      for (const [arg, value] of Object.entries(buildArgs))
        expect([file, arg, value]).toEqual([file, arg, vars[arg]]);
    }
    const problems = versionProblems(
      { ...vars, CP_VERSION: '8.2.1', DEBEZIUM_JDBC_VERSION: '3.5.0.Final', NODE_VERSION: '22.1.0' },
      pom,
      { ...pkg, version: '9.9.9' },
      { ...defaults, 'compose/connect/Dockerfile': { CP_VERSION: '8.0.0' } },
    );
    expect(problems).toEqual([
      expect.stringContaining('DEBEZIUM_JDBC_VERSION'),
      expect.stringContaining('CP_VERSION 8.2.1 ships Kafka 4.2'),
      expect.stringContaining('ORDERFLOW_IMAGE_TAG'),
      expect.stringContaining('NODE_VERSION 22.1.0 is not Node 24'),
      'compose/connect/Dockerfile: ARG CP_VERSION defaults to 8.0.0, .env says 8.2.1',
      'Dockerfile: ARG NODE_VERSION defaults to 24.22.3, .env says 22.1.0',
    ]);
  });

  it('fetches the Debezium JDBC sink the local stack pins, by the version build argument', () => {
    const df = read('compose', 'connect', 'Dockerfile');
    expect(df).toContain('io.debezium:debezium-connector-jdbc:${DEBEZIUM_JDBC_VERSION}:tar.gz:plugin');
    expect(df).toMatch(/^FROM confluentinc\/cp-kafka-connect:\$\{CP_VERSION\}$/m);
    expect(buildOf(compose.services.connect!)?.args.DEBEZIUM_JDBC_VERSION).toBe(vars.DEBEZIUM_JDBC_VERSION);
  });
});

describe('the flink profile', () => {
  const FLINK = ['flink-jobmanager', 'flink-taskmanager', 'flink-sql-gateway'];
  const props = (name: string) =>
    Object.fromEntries(
      (environmentOf(compose.services[name]!).FLINK_PROPERTIES ?? '')
        .split('\n')
        .filter((l) => l.includes(':'))
        .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]),
    );

  it('runs JobManager, TaskManager and SQL Gateway only in that profile, on one image built from the pinned Flink image', () => {
    for (const name of FLINK) {
      const svc = compose.services[name]!;
      expect([name, svc.profiles]).toEqual([name, ['flink']]);
      expect(svc.image).toBe(
        `orderflow-flink:${vars.FLINK_IMAGE_TAG}-kafka-${vars.FLINK_KAFKA_CONNECTOR_VERSION}`,
      );
      expect(buildOf(svc)?.context).toBe('./compose/flink');
    }
    // Nothing outside the profile needs Flink.
    for (const [name, svc] of Object.entries(compose.services))
      if (!FLINK.includes(name)) expect([name, svc.profiles ?? []]).not.toEqual([name, ['flink']]);
    const df = read('compose', 'flink', 'Dockerfile');
    expect(df).toMatch(/^FROM flink:\$\{FLINK_IMAGE_TAG\}$/m);
    expect(vars.FLINK_IMAGE_TAG).toMatch(
      new RegExp(`^${vars.FLINK_VERSION!.replaceAll('.', '\\.')}-java17$`),
    );
  });

  it('adds the Kafka connector and avro-confluent jars the local stack pins', () => {
    const pom = pomProperties(read('stack', 'pom.xml'));
    expect(vars.FLINK_VERSION).toBe(pom['flink.version']);
    expect(vars.FLINK_KAFKA_CONNECTOR_VERSION).toBe(pom['flink.kafka.connector.version']);
    const df = read('compose', 'flink', 'Dockerfile');
    expect(df).toContain('org.apache.flink:flink-sql-connector-kafka:${FLINK_KAFKA_CONNECTOR_VERSION}');
    expect(df).toContain('org.apache.flink:flink-sql-avro-confluent-registry:${FLINK_VERSION}');
    expect(df).toContain('COPY --from=jars /jars/ /opt/flink/lib/');
    const localJars = read('stack', 'flink', 'pom.xml');
    for (const artifact of ['flink-sql-connector-kafka', 'flink-sql-avro-confluent-registry'])
      expect(localJars).toContain(`<artifactId>${artifact}</artifactId>`);
  });

  it('wires the three to one another and starts them in order, as the local stack sets Flink up', () => {
    expect(props('flink-taskmanager')['jobmanager.rpc.address']).toBe('flink-jobmanager');
    expect(props('flink-sql-gateway')['rest.address']).toBe('flink-jobmanager');
    expect(props('flink-sql-gateway')['execution.target']).toBe('remote');
    expect(props('flink-jobmanager')['restart-strategy.type']).toBe('exponential-delay');
    expect(Number(props('flink-taskmanager')['taskmanager.numberOfTaskSlots'])).toBe(4);
    expect(compose.services['flink-taskmanager']!.depends_on).toEqual({
      'flink-jobmanager': { condition: 'service_healthy' },
    });
    expect(compose.services['flink-sql-gateway']!.depends_on).toEqual({
      'flink-taskmanager': { condition: 'service_healthy' },
    });
    // The ports its health checks probe are its own (from FLINK_PROPERTIES and the gateway's -D flags).
    expect(listeningPorts('flink-jobmanager', compose.services['flink-jobmanager']!)).toEqual(
      new Set([6123, 8081]),
    );
    expect(listeningPorts('flink-taskmanager', compose.services['flink-taskmanager']!)).toEqual(
      new Set([6122]),
    );
    expect(listeningPorts('flink-sql-gateway', compose.services['flink-sql-gateway']!)).toEqual(
      new Set([8083]),
    );
    const broken = copy();
    broken.services['flink-taskmanager']!.healthcheck = {
      test: ['CMD', 'bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/6199'],
    };
    expect(healthcheckPortProblems(broken)).toEqual([
      'flink-taskmanager: health check probes port 6199, which nothing listens on',
    ]);
  });
});

describe('services', () => {
  it('has a healthcheck on every long-running service and waits on health or completion', () => {
    expect(healthProblems(compose)).toEqual([]);
    const broken = copy();
    delete broken.services['schema-registry']!.healthcheck;
    broken.services.generator!.depends_on = { topics: { condition: 'service_started' } };
    broken.services.topics!.depends_on = { generator: { condition: 'service_completed_successfully' } };
    const problems = healthProblems(broken);
    expect(problems.some((p) => p.startsWith('schema-registry: long-running'))).toBe(true);
    expect(problems.some((p) => p.includes('condition service_started'))).toBe(true);
    expect(problems.some((p) => p.startsWith('topics: waits for generator to complete'))).toBe(true);
    expect(problems.some((p) => p.startsWith('dependency cycle'))).toBe(true);
  });

  it('probes, in each health check, a port the service listens on', () => {
    expect(healthcheckPortProblems(compose)).toEqual([]);
    const broken = copy();
    broken.services.shipping!.healthcheck = {
      test: ['CMD', 'node', '-e', "fetch('http://127.0.0.1:9399/health')"],
    };
    broken.services['ksqldb-server']!.healthcheck = {
      test: ['CMD', 'bash', '/orderflow/http-check.sh', '8089', '/'],
    };
    expect(healthcheckPortProblems(broken)).toEqual([
      'ksqldb-server: health check probes port 8089, which nothing listens on',
      'shipping: health check probes port 9399, which nothing listens on',
    ]);
  });

  it('publishes only the user-facing ports, on 127.0.0.1', () => {
    expect(portProblems(compose, USER_FACING)).toEqual([]);
    const published = Object.entries(compose.services)
      .filter(([, s]) => (s.ports ?? []).length > 0)
      .map(([n]) => n)
      .sort();
    expect(published).toEqual([...USER_FACING].sort());
    const broken = copy();
    broken.services.connect!.ports = ['127.0.0.1:8083:8083'];
    broken.services.dashboard!.ports = ['3000:8088'];
    expect(portProblems(broken, USER_FACING)).toHaveLength(2);
  });

  it('runs Kafka with the local stack broker settings (transactions at RF 1, min ISR 1)', () => {
    const local = localKafkaSettings(read('stack', 'components.ts'));
    expect(local['transaction.state.log.replication.factor']).toBe('1');
    const kafkaEnv = environmentOf(compose.services.kafka!);
    expect(kafkaProblems(kafkaEnv, local)).toEqual([]);
    expect(kafkaEnv.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(compose.services.kafka!.image).toMatch(/^confluentinc\/cp-kafka:8\./);
    expect(kafkaProblems({ ...kafkaEnv, KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '2' }, local)).toHaveLength(1);
  });

  it('points every service at hosts and ports that exist in the compose file', () => {
    const ksqlProps = propertiesFile(read('ksql', 'ksql-migrations.properties'));
    const extra = [{ where: 'ksql-migrations.properties', value: ksqlProps['ksql.server.url'] ?? '' }];
    expect(addressProblems(compose, extra)).toEqual([]);
    const broken = copy();
    (broken.services.payment!.environment as Record<string, string>).ORDERFLOW_KAFKA_BOOTSTRAP = 'kafka:9093';
    (broken.services.dashboard!.environment as Record<string, string>).ORDERFLOW_REGISTRY_URL =
      'http://registry:8081';
    expect(addressProblems(broken)).toHaveLength(2);
  });

  it('wires Kafka UI to the registry, Connect and ksqlDB', () => {
    const env = environmentOf(compose.services['kafka-ui']!);
    expect(env.KAFKA_CLUSTERS_0_SCHEMAREGISTRY).toBe('http://schema-registry:8081');
    expect(env.KAFKA_CLUSTERS_0_KAFKACONNECT_0_ADDRESS).toBe('http://connect:8083');
    expect(env.KAFKA_CLUSTERS_0_KSQLDBSERVER).toBe('http://ksqldb-server:8088');
  });
});

describe('orderflow services', () => {
  const sourceDirs = [
    'common',
    'cli',
    'producer',
    'processors',
    'splitter',
    'connect',
    'warehouse',
    'dashboard',
    'stack',
    'schemas',
    'shop',
    'stock',
    'support',
    'api',
  ];
  const known = new Set<string>();
  for (const dir of sourceDirs) {
    let files: string[] = [];
    try {
      files = readdirSync(rootPath(dir), { recursive: true, encoding: 'utf8' }).filter((f) =>
        f.endsWith('.ts'),
      );
    } catch {
      continue;
    }
    for (const f of files) for (const m of read(dir, f).matchAll(/ORDERFLOW_[A-Z0-9_]+/g)) known.add(m[0]);
  }

  it('sets only ORDERFLOW_* variables that orderflow reads', () => {
    expect(known.has('ORDERFLOW_KAFKA_BOOTSTRAP')).toBe(true);
    expect(envNameProblems(compose, known)).toEqual([]);
    const broken = copy();
    (broken.services.generator!.environment as Record<string, string>).ORDERFLOW_KAFKA_BOOTSTRAPS =
      'kafka:29092';
    expect(envNameProblems(broken, known)).toEqual([
      'generator: ORDERFLOW_KAFKA_BOOTSTRAPS is not an orderflow setting',
    ]);
  });

  it('gives the processors and the generator settings they accept', () => {
    for (const stage of ['payment', 'shipping', 'delivery'] as const) {
      const s = loadSettings(processorSettings(stage), environmentOf(compose.services[stage]!));
      expect([stage, s.kafkaBootstrap, s.registryUrl, s.topicPrefix, s.speed]).toEqual([
        stage,
        'kafka:29092',
        'http://schema-registry:8081',
        '',
        Number(vars.ORDERFLOW_SPEED),
      ]);
    }
    // The anchor recipe of docs/docker.md: `docker inspect` prints nanosecond RFC 3339 times.
    const anchored = {
      ...environmentOf(compose.services.payment!),
      ORDERFLOW_SPEED_ANCHOR: '2026-11-22T00:30:12.123456789Z',
    };
    expect(loadSettings(processorSettings('payment'), anchored).anchor).toBe(
      '2026-11-22T00:30:12.123456789Z',
    );
    expect(read('docs', 'docker.md')).toContain(
      "ORDERFLOW_SPEED_ANCHOR=$(docker inspect -f '{{.State.StartedAt}}' orderflow-generator-1)",
    );
    const g = loadSettings(generatorSettings, environmentOf(compose.services.generator!));
    expect(g.kafkaBootstrap).toBe('kafka:29092');
  });

  it('deploys the sink connectors with Confluent AvroConverter against the compose registry and database', () => {
    const env = environmentOf(compose.services['connect-deploy']!);
    const sinks = renderSinks({ ...loadSettings(sinkSettings, env) });
    expect(sinks.map((c) => c.config.topics).sort()).toEqual(['customers', 'order_items', 'orders']);
    for (const { name, config } of sinks) {
      expect([name, config['value.converter']]).toEqual([name, 'io.confluent.connect.avro.AvroConverter']);
      expect(config['value.converter.schema.registry.url']).toBe('http://schema-registry:8081');
      expect(config['connection.url']).toBe(`jdbc:postgresql://postgres:5432/${vars.POSTGRES_DB}`);
      expect(config['connection.username']).toBe(vars.POSTGRES_USER);
      expect(config['errors.deadletterqueue.topic.name']).toBe(SINK_DLQ_TOPIC);
      expect(config['errors.deadletterqueue.topic.replication.factor']).toBe('1');
      expect(allTopicNames('')).toContain(config.topics);
      expect(JSON.stringify(config)).not.toMatch(/\$\{/);
    }
  });

  it('runs only orderflow commands and options the CLI has', async () => {
    const commands = orderflowCommands(compose);
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        execFile(
          process.execPath,
          [rootPath('bin', 'orderflow.mjs'), ...args, '--help'],
          { cwd: ROOT, timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } },
          (error, stdout) =>
            resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout }),
        );
      });
    // Two at a time: each start loads the whole CLI through tsx.
    const results: { args: string[]; code: number | null; out: string }[] = [];
    for (let i = 0; i < commands.length; i += 2) {
      const batch = commands.slice(i, i + 2);
      results.push(
        ...(await Promise.all(batch.map(async (c) => ({ args: c.args, ...(await run(c.args)) })))),
      );
    }
    expect(results.map((r) => r.args[0]).sort()).toEqual(
      expect.arrayContaining(['connect', 'dashboard', 'generate', 'process', 'topics', 'warehouse']),
    );
    const problems = results.flatMap((r) => commandHelpProblems(r.args, r.out, r.code));
    expect(problems).toEqual([]);
    // The same check on help that does not fit: an unknown command gets the top-level help.
    const top = results.find((r) => r.args[0] === 'topics')!;
    expect(
      commandHelpProblems(['no-such-command'], top.out.replace(/orderflow topics/, 'orderflow'), 0),
    ).toHaveLength(1);
    const generate = results.find((r) => r.args[0] === 'generate')!;
    expect(commandHelpProblems(['generate', '--no-such-flag', '1'], generate.out, 0)).toEqual([
      'orderflow generate --no-such-flag 1: no option --no-such-flag',
    ]);
  }, 120_000);

  it('creates topics with `orderflow topics` only, and every topic it names is an orderflow topic', () => {
    expect(orderflowCommands(compose).some((c) => c.args.join(' ') === 'topics')).toBe(true);
    expect(topicProblems(createdTopics(compose), allTopicNames(''))).toEqual([]);
    const broken = copy();
    broken.services.extra = {
      image: 'confluentinc/cp-kafka:8.3.1',
      command: ['kafka-topics', '--bootstrap-server', 'kafka:29092', '--create', '--topic', 'unpaid'],
    };
    expect(topicProblems(createdTopics(broken), allTopicNames(''))).toHaveLength(1);
  });
});

describe('ksqlDB', () => {
  const dir = rootPath('ksql', 'migrations');
  const files = readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .sort()
    .map((name) => ({ name, text: readFileSync(path.join(dir, name), 'utf8') }));

  it('applies migrations that parse as ;-terminated ksqlDB statements', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(ksqlMigrationProblems(files)).toEqual([]);
    expect(ksqlStatements("SET 'a' = 'x;y'; -- c;\nCREATE STREAM `s;` AS SELECT 1;").statements).toEqual([
      "SET 'a' = 'x;y'",
      'CREATE STREAM `s;` AS SELECT 1',
    ]);
    const broken = [
      { name: 'V000001__ok.sql', text: "CREATE STREAM a (x INT) WITH (KAFKA_TOPIC='a');\nSELEC * FROM a;" },
      { name: 'V1__short.sql', text: 'CREATE STREAM b AS SELECT * FROM a' },
    ];
    expect(ksqlMigrationProblems(broken)).toEqual([
      expect.stringMatching(/^V000001__ok.sql: statement does not start with a ksqlDB verb: SELEC/),
      expect.stringMatching(/^V1__short.sql: not named/),
      expect.stringMatching(/^V1__short.sql: text after the last ";"/),
      'V1__short.sql: no CREATE or INSERT statement',
    ]);
  });

  it('reads and writes only orderflow topics (and its own ksql_ intermediates)', () => {
    const topics = ksqlTopics(files);
    expect(topics).toEqual(
      expect.arrayContaining(['finished_orders', 'failed_orders', 'orders', 'customers', 'order_items']),
    );
    expect(topicProblems(topics, allTopicNames(''))).toEqual([]);
    expect(topicProblems(['finished-orders'], allTopicNames(''))).toHaveLength(1);
  });

  it('applies them from the mounted ksql/ folder at start-up, exactly once with history', () => {
    const service = compose.services['ksql-migrations']!;
    const props = propertiesFile(read('ksql', 'ksql-migrations.properties'));
    const mount = (service.volumes ?? []).map(String).find((v) => v.startsWith('./ksql:'));
    expect(mount).toBeDefined();
    const target = mount!.split(':')[1]!;
    expect(props['ksql.migrations.dir.override']).toBe(`${target}/migrations`);
    expect(service.image).toBe(compose.services['ksqldb-server']!.image);
    expect(service.depends_on).toMatchObject({
      'ksqldb-server': { condition: 'service_healthy' },
      topics: { condition: 'service_completed_successfully' },
    });
    const script = read('compose', 'ksql', 'apply-migrations.sh');
    expect(script).toContain('apply --all');
    const env = environmentOf(compose.services['ksqldb-server']!);
    expect(env.KSQL_KSQL_STREAMS_PROCESSING_GUARANTEE).toBe('exactly_once_v2');
    expect(env.KSQL_KSQL_STREAMS_AUTO_OFFSET_RESET).toBe('earliest');
    // The compose pipeline has no topic prefix: the migrations name bare topics.
    expect(environmentOf(compose.services.topics!).ORDERFLOW_TOPIC_PREFIX).toBe('');
    expect(yamlText).not.toMatch(/ORDERFLOW_TOPIC_PREFIX: \$\{/);
  });
});

describe('the orderflow image (Dockerfile)', () => {
  const text = read('Dockerfile');
  const stages = text.split(/^FROM /m).slice(1);
  const ignored = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));

  it('builds librdkafka against Debian libraries and runs slim, as a non-root user', () => {
    expect(stages).toHaveLength(2);
    const [build, runtime] = stages as [string, string];
    expect(build).toMatch(/^node:\$\{NODE_VERSION\}-bookworm AS build/);
    for (const pkg of [
      'zlib1g-dev',
      'libssl-dev',
      'libzstd-dev',
      'libsasl2-dev',
      'liblz4-dev',
      'libcurl4-openssl-dev',
      'build-essential',
      'python3',
    ]) {
      expect([pkg, build.includes(` ${pkg}`)]).toEqual([pkg, true]);
    }
    expect(build).toMatch(/CKJS_LINKING=dynamic/);
    expect(build).toMatch(/npm ci\b/);
    expect(build).toMatch(/npm prune --omit=dev/);
    expect(build).toMatch(/build:web/);
    expect(runtime).toMatch(/^node:\$\{NODE_VERSION\}-bookworm-slim/);
    for (const pkg of ['libssl3', 'libzstd1', 'libsasl2-2', 'liblz4-1', 'libcurl4', 'zlib1g']) {
      expect([pkg, runtime.includes(` ${pkg}`)]).toEqual([pkg, true]);
    }
    expect(runtime).toMatch(/^USER (?!root)\w+/m);
    expect(runtime).toContain('ENTRYPOINT ["node", "bin/orderflow.mjs"]');
    expect(runtime).toMatch(/^HEALTHCHECK [^]*?CMD \["node", "-e", "fetch\(/m);
    // Slim images have no curl: nothing may call it (libcurl4 the library is fine).
    const code = runtime
      .split('\n')
      .filter((l) => !l.trim().startsWith('#'))
      .join('\n');
    expect(code).not.toMatch(/\bcurl\b(?![\d-])/);
  });

  it('can `npm ci`: package-lock.json pins exactly what package.json asks for', () => {
    const pkg = JSON.parse(read('package.json')) as Record<string, Record<string, string> | undefined>;
    const lock = JSON.parse(read('package-lock.json')) as {
      packages: Record<string, { version?: string } & Record<string, unknown>>;
    };
    for (const field of ['dependencies', 'devDependencies']) {
      expect([field, lock.packages['']![field]]).toEqual([field, pkg[field]]);
      for (const [name, version] of Object.entries(pkg[field] ?? {})) {
        expect([name, lock.packages[`node_modules/${name}`]?.version]).toEqual([name, version]);
      }
    }
  });

  it('needs no devDependency at run time (the image prunes them)', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    const folders = [
      'bin',
      'cli',
      'common',
      'producer',
      'processors',
      'splitter',
      'connect',
      'warehouse',
      'dashboard',
      'stack',
      'schemas',
    ];
    const imported = new Map<string, string>();
    for (const dir of folders) {
      let files: string[] = [];
      try {
        files = readdirSync(rootPath(dir), { recursive: true, encoding: 'utf8' });
      } catch {
        continue;
      }
      // The browser code is bundled into static assets at build time, before the prune.
      for (const f of files.filter((f) => /\.(ts|mjs|js)$/.test(f) && !f.startsWith(path.join('web', '')))) {
        const text = read(dir, f);
        const specs = [
          ...text.matchAll(/^\s*import\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm),
          ...text.matchAll(/^\s*export\s+(?!type\b)[^'"]*?\sfrom\s+['"]([^'"]+)['"]/gm),
          ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
        ].map((m) => m[1]!);
        for (const spec of specs) {
          if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) continue;
          const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
          if (!builtinModules.includes(name)) imported.set(name, path.join(dir, f));
        }
      }
    }
    expect(imported.has('tsx')).toBe(true);
    const notProduction = [...imported].filter(([name]) => !(name in pkg.dependencies));
    expect(notProduction).toEqual([]);
  });

  it('keeps node_modules out of the build context and every runtime source in', () => {
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.git', '.orderflow']));
    // The folders the CLI loads its commands from, plus the files they read at run time.
    const cliFolders = [...read('cli', 'main.ts').matchAll(/import\('\.\.\/([\w-]+)\//g)].map((m) => m[1]!);
    expect(cliFolders.length).toBeGreaterThan(3);
    const runtime = [
      'bin',
      'cli',
      'common',
      'schemas',
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      ...cliFolders,
    ];
    for (const p of runtime)
      expect([p, ignored.includes(p) || ignored.includes(`${p}/`)]).toEqual([p, false]);
    // `ENTRYPOINT` runs the bin the package declares.
    const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string> };
    expect(pkg.bin.orderflow).toBe('bin/orderflow.mjs');
  });
});
