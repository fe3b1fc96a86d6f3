/**
 * docker-compose.yml as it behaves once running, checked without a Docker engine (issue 20, the
 * Docker path): each check passes on the real files and flags a copy broken the way the files were.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentOf, loadRepoCompose, ROOT, rootPath, type ComposeFile } from './compose-model.ts';
import {
  advertisedListenerProblems,
  ksqlSplitGroups,
  migrationScriptProblems,
  restartProblems,
  splitGroupProblems,
  unawaitedSetupProblems,
} from './operation-checks.ts';
import { avroEnums, docEnumProblems, psProblems, retentionProblems } from './docker-docs-checks.ts';
import { boundFiles, eolOf, lineEndingProblems, selinuxProblems } from './mount-checks.ts';
import { heapProblems, maxHeapMiB, memoryBudget, memoryDocProblems } from './memory-checks.ts';

const read = (...p: string[]) => readFileSync(rootPath(...p), 'utf8');
const { compose } = loadRepoCompose();
const copy = (): ComposeFile => structuredClone(compose);
const env = (c: ComposeFile, service: string) => c.services[service]!.environment as Record<string, string>;
const docs = read('docs', 'docker.md');
const migrations = readdirSync(rootPath('ksql', 'migrations'))
  .filter((f) => f.endsWith('.sql'))
  .sort()
  .map((name) => ({ name, text: read('ksql', 'migrations', name) }));

describe('docs/docker.md', () => {
  const schemaFiles = [
    'schemas/order.avsc',
    ...readdirSync(rootPath('schemas', 'split')).map((f) => `schemas/split/${f}`),
  ];
  const enums = avroEnums(schemaFiles.map((f) => JSON.parse(read(f)) as unknown));

  it('compares enum columns with the enum symbols of the schema', () => {
    expect(enums.get('order_status')).toContain('DELIVERED');
    expect(docEnumProblems(docs, enums)).toEqual([]);
    const broken = docs.replace("`order_status` = 'DELIVERED'", "`order_status` = 'Delivered'");
    expect(broken).not.toBe(docs);
    expect(docEnumProblems(broken, enums)).toEqual([
      expect.stringMatching(/^docs: order_status = 'Delivered' never matches/),
    ]);
  });

  it('lists the exited setup services with `docker compose ps -a`', () => {
    expect(psProblems(docs, compose)).toEqual([]);
    expect(docs).toContain('docker compose ps -a');
    const broken = docs.replace('`docker compose ps -a` shows', '`docker compose ps` shows');
    expect(psProblems(broken, compose)).toHaveLength(1);
  });

  it('says that Kafka keeps every record while the live generator runs, and how to stop and reset', () => {
    expect(retentionProblems(compose, docs)).toEqual([]);
    const withoutSection = docs.replace(/^## Retention\n[\s\S]*?(?=^## )/m, '');
    expect(retentionProblems(compose, withoutSection)).toEqual([
      expect.stringContaining('no "## Retention" section'),
    ]);
    const vague = docs.replace('docker compose stop generator', 'stop it');
    expect(retentionProblems(compose, vague)).toEqual([
      expect.stringContaining('docker compose stop generator'),
    ]);
    // A bounded broker needs no such section.
    const bounded = copy();
    env(bounded, 'kafka').KAFKA_LOG_RETENTION_HOURS = '168';
    expect(retentionProblems(bounded, withoutSection)).toEqual([]);
  });
});

describe('restarts and setup failures', () => {
  it('brings every long-running service back after a Docker or host restart', () => {
    expect(restartProblems(compose)).toEqual([]);
    expect(compose.services.payment!.restart).toBe('unless-stopped');
    const broken = copy();
    for (const s of ['generator', 'payment', 'dashboard']) broken.services[s]!.restart = 'on-failure';
    expect(restartProblems(broken)).toHaveLength(3);
    // One-shot setup services stay `no`.
    expect(compose.services.topics!.restart).toBe('no');
  });

  it('has every setup service awaited, so `docker compose up -d` reports its failure', () => {
    expect(unawaitedSetupProblems(compose)).toEqual([]);
    const broken = copy();
    broken.services.dashboard!.depends_on = {
      'warehouse-migrate': { condition: 'service_completed_successfully' },
    };
    expect(unawaitedSetupProblems(broken)).toEqual([
      expect.stringMatching(/^ksql-migrations: no service waits/),
      expect.stringMatching(/^connect-deploy: no service waits/),
    ]);
  });

  it('initialises the ksql-migrations metadata only when neither its stream nor its table exists', () => {
    const script = read('compose', 'ksql', 'apply-migrations.sh');
    expect(migrationScriptProblems(script)).toEqual([]);
    // The script as it was: any failure of `info` (unreachable, half-initialised) re-initialised.
    const before = `#!/usr/bin/env bash
set -euo pipefail
config=/ksql/ksql-migrations.properties

if ksql-migrations --config-file "$config" info >/dev/null 2>&1; then
  echo "ksql-migrations: metadata already initialised"
else
  echo "ksql-migrations: initialising the migrations metadata"
  ksql-migrations --config-file "$config" initialize-metadata
fi
ksql-migrations --config-file "$config" apply --all
`;
    expect(migrationScriptProblems(before)).toEqual([
      'apply-migrations.sh: runs initialize-metadata whenever `info` fails, for any reason',
      'apply-migrations.sh: does not look for the metadata object named by ksql.migrations.stream.name',
      'apply-migrations.sh: does not look for the metadata object named by ksql.migrations.table.name',
      'apply-migrations.sh: has no failing exit',
    ]);
    expect(
      migrationScriptProblems(
        'set -e\nksql-migrations --config-file c info || ksql-migrations --config-file c initialize-metadata\n',
      ),
    ).toContain('apply-migrations.sh: runs initialize-metadata whenever `info` fails, for any reason');
  });
});

describe('memory', () => {
  it('caps the heap of every JVM, and of the JVM the Kafka health check starts', () => {
    expect(heapProblems(compose)).toEqual([]);
    expect(maxHeapMiB('-Xms256m -Xmx1g')).toBe(1024);
    expect(maxHeapMiB('-Xms256m')).toBeUndefined();
    const broken = copy();
    // As it was: Kafka UI uncapped, the health check inheriting the broker's -Xmx768m.
    delete env(broken, 'kafka-ui').JAVA_OPTS;
    delete env(broken, 'ksql-migrations').KSQL_HEAP_OPTS;
    broken.services.kafka!.healthcheck = {
      test: ['CMD', 'kafka-broker-api-versions', '--bootstrap-server', 'kafka:29092'],
    };
    expect(heapProblems(broken)).toEqual([
      "kafka: its health check starts a JVM that inherits the service's heap settings",
      'ksql-migrations: a JVM without a heap cap (-Xmx in KSQL_HEAP_OPTS)',
      'kafka-ui: a JVM without a heap cap (-Xmx in JAVA_OPTS)',
    ]);
    broken.services.kafka!.healthcheck = {
      test: [
        'CMD',
        'bash',
        '-c',
        'KAFKA_HEAP_OPTS="-Xmx1g" kafka-broker-api-versions --bootstrap-server kafka:29092',
      ],
    };
    expect(heapProblems(broken)).toContain("kafka: its health check's JVM may take 1024 MiB every run");
  });

  it('fits the documented memory, and the docs table is the compose file', () => {
    const { total, items } = memoryBudget(compose);
    expect(items['kafka health check']).toBe(128);
    expect(items.backfill).toBeUndefined();
    expect(memoryDocProblems(compose, docs)).toEqual([]);
    // Six GB, as the docs said, does not hold these caps.
    expect(total).toBeGreaterThan(6 * 1024);
    const sixGb = docs.replace('about 9 GB of memory', 'about 6 GB of memory');
    expect(memoryDocProblems(compose, sixGb)).toEqual([
      expect.stringMatching(/^docs: say about 6 GB of memory, the services' budget is \d+ MiB/),
    ]);
    const bigger = copy();
    env(bigger, 'connect').KAFKA_HEAP_OPTS = '-Xms256m -Xmx2g';
    expect(memoryDocProblems(bigger, docs)).toEqual([
      expect.stringMatching(/^docs: say about 9 GB of memory, the services' budget is \d+ MiB/),
      expect.stringContaining("the memory table's total"),
      'docs: the memory table does not give connect `-Xmx2g`',
    ]);
  });
});

describe('bind mounts', () => {
  const gitattributes = existsSync(rootPath('.gitattributes')) ? read('.gitattributes') : undefined;
  const files = boundFiles(compose, ROOT);

  it('checks every bind-mounted file out with LF line endings, Windows included', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        path.join('compose', 'healthcheck', 'http-check.sh'),
        path.join('compose', 'ksql', 'apply-migrations.sh'),
        path.join('ksql', 'ksql-migrations.properties'),
        path.join('ksql', 'migrations', 'V000001__source_streams.sql'),
      ]),
    );
    expect(lineEndingProblems(gitattributes, files)).toEqual([]);
    expect(lineEndingProblems(undefined, files)).toHaveLength(1);
    const noScripts = gitattributes!.replace(/^\*\.sh .*$/m, '');
    expect(lineEndingProblems(noScripts, files)).toEqual([
      expect.stringMatching(/^compose\/healthcheck\/http-check.sh: bind-mounted/),
      expect.stringMatching(/^compose\/ksql\/apply-migrations.sh: bind-mounted/),
    ]);
    expect(eolOf('*.sh text eol=lf\nvendor/** -text\n', 'vendor/a/b.sh')).toBeUndefined();
    expect(eolOf('/ksql/*.sql eol=lf\n', 'ksql/V1.sql')).toBe('lf');
    expect(eolOf('/ksql/*.sql eol=lf\n', 'other/ksql/V1.sql')).toBeUndefined();
  });

  it('labels bind mounts for SELinux hosts (:z)', () => {
    expect(selinuxProblems(compose)).toEqual([]);
    const broken = copy();
    broken.services['ksql-migrations']!.volumes = [
      './ksql:/ksql:ro',
      './compose/ksql/apply-migrations.sh:/orderflow/apply-migrations.sh:ro',
    ];
    broken.services.connect!.volumes = [
      { type: 'bind', source: './compose/healthcheck/http-check.sh', target: '/orderflow/http-check.sh' },
    ];
    expect(selinuxProblems(broken)).toHaveLength(3);
  });
});

describe('Kafka for the Docker host', () => {
  it('advertises the address its port is published on', () => {
    expect(advertisedListenerProblems(compose)).toEqual([]);
    expect(environmentOf(compose.services.kafka!).KAFKA_ADVERTISED_LISTENERS).toContain(
      'EXTERNAL://127.0.0.1:',
    );
    const broken = copy();
    env(broken, 'kafka').KAFKA_ADVERTISED_LISTENERS = 'PLAINTEXT://kafka:29092,EXTERNAL://localhost:9092';
    expect(advertisedListenerProblems(broken)).toEqual([
      'kafka: advertises EXTERNAL://localhost:9092, but the port is published on 127.0.0.1 only',
    ]);
    broken.services.kafka!.ports = ['127.0.0.1:19092:9092'];
    env(broken, 'kafka').KAFKA_ADVERTISED_LISTENERS = 'PLAINTEXT://kafka:29092,EXTERNAL://127.0.0.1:9092';
    expect(advertisedListenerProblems(broken)).toEqual([
      'kafka: advertises EXTERNAL on port 9092, but it is published on 19092',
    ]);
  });
});

describe('the live view under compose', () => {
  it('derives the split queries ksqlDB runs, and their consumer groups, from ksql/migrations', () => {
    const groups = ksqlSplitGroups(migrations, environmentOf(compose.services['ksqldb-server']!));
    expect(groups).toEqual([
      {
        query: 'CSAS_LANDED_ORDERS_<n>',
        group: '_confluent-ksql-orderflow_ksql_query_CSAS_LANDED_ORDERS_',
        exact: false,
      },
      { query: 'INSERTQUERY_<n>', group: '_confluent-ksql-orderflow_ksql_query_INSERTQUERY_', exact: false },
      // V000006's landed stream over the same topics (its INSERT INTO shares INSERTQUERY_<n>).
      {
        query: 'CSAS_LANDED_ORDERS_040_<n>',
        group: '_confluent-ksql-orderflow_ksql_query_CSAS_LANDED_ORDERS_040_',
        exact: false,
      },
    ]);
    expect(
      ksqlSplitGroups(
        [
          {
            text: "CREATE STREAM s (k STRING KEY) WITH (KAFKA_TOPIC='failed_orders', VALUE_FORMAT='AVRO');\nINSERT INTO t WITH (QUERY_ID='copy_failed') SELECT * FROM s;",
          },
        ],
        {},
      ),
    ).toEqual([{ query: 'COPY_FAILED', group: '_confluent-ksql-default_query_COPY_FAILED', exact: true }]);
  });

  it('watches the groups that do the split on this stack', () => {
    expect(splitGroupProblems(compose, migrations)).toEqual([]);
    // As it was: the dashboard's default, the splitter's group, which nothing runs here.
    const broken = copy();
    delete env(broken, 'dashboard').ORDERFLOW_DASHBOARD_SPLIT_GROUPS;
    expect(splitGroupProblems(broken, migrations)).toEqual([
      expect.stringContaining('watches the orderflow-splitter group, but ksqlDB does the split here'),
    ]);
    env(broken, 'dashboard').ORDERFLOW_DASHBOARD_SPLIT_GROUPS =
      '_confluent-ksql-orderflow_ksql_query_CSAS_LANDED_ORDERS_*,orderflow-splitter';
    expect(splitGroupProblems(broken, migrations)).toEqual([
      expect.stringContaining('misses INSERTQUERY_<n>'),
      expect.stringContaining('has orderflow-splitter, which no split query uses'),
    ]);
    // Another ksql.service.id moves the groups.
    const otherService = copy();
    env(otherService, 'ksqldb-server').KSQL_KSQL_SERVICE_ID = 'other_';
    // Three split queries missed (two landed streams and the INSERTs), two patterns that match none.
    expect(splitGroupProblems(otherService, migrations)).toHaveLength(5);
  });
});
