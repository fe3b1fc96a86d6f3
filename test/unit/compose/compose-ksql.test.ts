/**
 * The ksqlDB migrations docker-compose.yml applies, checked without a Docker engine: they parse,
 * touch only orderflow topics, and are applied once with history from the mounted folder.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allTopicNames } from '../../../schemas/topics.ts';
import { propertiesFile } from './compose-checks.ts';
import { compose, read, yamlText } from './compose-fixture.ts';
import { environmentOf, rootPath } from './compose-model.ts';
import { ksqlMigrationProblems, ksqlStatements, ksqlTopics, topicProblems } from './ksql-checks.ts';

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
