import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { loadSettings, type SettingsOf } from '../common/config.ts';
import { OrderflowError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { addSettingFlags, loadCommandSettings } from '../common/setting-flags.ts';
import { connectionSettings } from '../common/settings.ts';
import { loadStack, stackDown, stackStatus, stackUp } from './stack.ts';
import { ensureTopics } from './topics.ts';

const say = (line: string) => console.log(line);

export function register(program: Command): void {
  const stack = program
    .command('stack')
    .description(
      'Run the local stack on 127.0.0.1: Kafka (KRaft), Apicurio Registry, Kafka Connect, PostgreSQL, vsftpd, and Apache Flink with ORDERFLOW_FLINK=on',
    )
    .addHelpText(
      'after',
      '\nPorts and directories come from ORDERFLOW_HOME, ORDERFLOW_KAFKA_PORT, ORDERFLOW_REGISTRY_PORT,\n' +
        'ORDERFLOW_CONNECT_PORT, ORDERFLOW_PG_PORT and ORDERFLOW_FLINK_* (see the README). Install the stack first: scripts/setup.sh',
    );

  stack
    .command('up')
    .description('start every component that is not already running and wait until each is healthy')
    .option('--no-topics', 'do not create the topics and register the schemas')
    .action(async (opts: { topics: boolean }) => {
      const statuses = await stackUp(say);
      if (opts.topics) await createTopics(loadSettings(connectionSettings, process.env, { topicPrefix: '' }));
      printStatus(statuses);
    });

  stack
    .command('down')
    .description('stop exactly the processes `stack up` started (by pid file)')
    .action(async () => {
      await stackDown(say);
    });

  stack
    .command('status')
    .description('print each component, its port, whether it answers, and the connection URLs')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const statuses = await stackStatus();
      if (opts.json) say(JSON.stringify(statuses, null, 2));
      else printStatus(statuses);
      if (statuses.some((s) => !s.healthy)) process.exitCode = 3;
    });

  stack
    .command('logs')
    .description("print (or follow) a component's log")
    .argument('<component>', 'postgres | kafka | registry | connect | ftp | flink-jm | flink-tm | flink-sql')
    .option('-f, --follow', 'keep printing new lines')
    .option('-n, --lines <n>', 'lines to show', '50')
    .action(async (name: string, opts: { follow?: boolean; lines: string }) => {
      const c = loadStack().all.find((x) => x.name === name);
      if (!c)
        throw new OrderflowError(
          'ORDERFLOW_USAGE',
          `unknown component "${name}": use postgres, kafka, registry, connect, ftp, flink-jm, flink-tm or flink-sql`,
        );
      if (!existsSync(c.logFile))
        throw new OrderflowError('ORDERFLOW_USAGE', `${name} has no log yet (${c.logFile})`);
      const child = spawn('tail', ['-n', opts.lines, ...(opts.follow ? ['-F'] : []), c.logFile], {
        stdio: 'inherit',
      });
      await new Promise((resolve) => child.on('exit', resolve));
    });

  const topics = program
    .command('topics')
    .description(
      'create the pipeline topics (and .dlq twins) and register their value schemas, idempotently',
    );
  addSettingFlags(topics, connectionSettings, ['topicPrefix']).action(
    async (_opts: unknown, command: Command) => {
      await createTopics(loadCommandSettings(connectionSettings, command));
    },
  );
}

async function createTopics(conn: SettingsOf<typeof connectionSettings>): Promise<void> {
  const result = await ensureTopics({
    bootstrap: conn.kafkaBootstrap,
    registryUrl: conn.registryUrl,
    prefix: conn.topicPrefix,
    partitions: conn.partitions,
    replicationFactor: conn.replicationFactor,
    log: createLogger('topics'),
  });
  say(
    `topics    ${result.created.length} created, ${result.existing.length} already there; schemas registered (BACKWARD)`,
  );
}

function printStatus(statuses: Awaited<ReturnType<typeof stackStatus>>): void {
  say('');
  for (const s of statuses) {
    const state = s.healthy ? 'up' : s.pid ? 'starting/unhealthy' : 'down';
    say(`${s.name.padEnd(9)} ${state.padEnd(18)} 127.0.0.1:${String(s.port).padEnd(6)} ${s.url}`);
  }
  const logs = statuses[0]?.log.replace(/[^/]+$/, '') ?? '';
  say(`\nlogs: ${logs}`);
  say(`psql: psql ${statuses.find((s) => s.name === 'postgres')?.url ?? ''}`);
}
