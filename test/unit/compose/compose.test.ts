/**
 * docker-compose.yml and its services checked without a Docker engine: valid against the Compose
 * specification's schema, files it builds and mounts exist, images pinned, versions in one place and
 * in line with the local stack, health checks, start order, ports and addresses. The flink profile,
 * the orderflow services, the ksqlDB migrations and the orderflow image have test files of their own
 * (compose-flink, compose-orderflow, compose-ksql, orderflow-image). Every check also runs on a
 * deliberately broken copy, to show it can fail.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  fileProblems,
  kafkaProblems,
  localKafkaSettings,
  propertiesFile,
  schemaProblems,
} from './compose-checks.ts';
import { compose, copy, missing, read, vars } from './compose-fixture.ts';
import {
  environmentOf,
  interpolate,
  parseCompose,
  parseDotEnv,
  ROOT,
  type ComposeFile,
} from './compose-model.ts';
import {
  addressProblems,
  healthcheckPortProblems,
  healthProblems,
  portProblems,
} from './health-and-port-checks.ts';
import {
  buildOf,
  imageProblems,
  parseDockerfile,
  pomProperties,
  unpinnedReason,
  versionProblems,
} from './image-checks.ts';

const schema = JSON.parse(read('compose', 'compose-spec.json')) as Record<string, unknown>;

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
