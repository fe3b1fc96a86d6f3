/**
 * The orderflow services of docker-compose.yml checked without a Docker engine: the ORDERFLOW_*
 * settings they set exist and are accepted, the connectors they deploy, the commands and options
 * they run exist, and the topics they create are orderflow's. Every check also runs on a broken copy.
 */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../common/config.ts';
import { sinkSettings } from '../../../connect/settings.ts';
import { renderSinks } from '../../../connect/sink-config.ts';
import { processorSettings } from '../../../processors/settings.ts';
import { generatorSettings } from '../../../producer/settings.ts';
import { allTopicNames, SINK_DLQ_TOPIC } from '../../../schemas/topics.ts';
import { commandHelpProblems, createdTopics, envNameProblems, orderflowCommands } from './compose-checks.ts';
import { compose, copy, folderFiles, read, SOURCE_FOLDERS, vars } from './compose-fixture.ts';
import { environmentOf, ROOT, rootPath } from './compose-model.ts';
import { topicProblems } from './ksql-checks.ts';

describe('orderflow services', () => {
  const known = new Set<string>();
  for (const { dir, file } of folderFiles(SOURCE_FOLDERS, (f) => f.endsWith('.ts')))
    for (const m of read(dir, file).matchAll(/ORDERFLOW_[A-Z0-9_]+/g)) known.add(m[0]);

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
    expect(sinks.map((c) => c.config.topics).sort()).toEqual([
      'cart_events',
      'customers',
      'order_items',
      'orders',
    ]);
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
