import type { Command } from 'commander';
import { z } from 'zod';
import { createLogger } from '../../common/logger.ts';
import { addSettingFlags, loadCommandSettings, parseFlag } from '../../common/setting-flags.ts';
import { connectionSettings } from '../../common/settings.ts';
import { KafkaContext } from './context.ts';
import { DeadLetters } from './dead-letters.ts';
import { SchemaTexts } from './record-json.ts';

const spec = {
  kafkaBootstrap: connectionSettings.kafkaBootstrap,
  registryUrl: connectionSettings.registryUrl,
  connectUrl: connectionSettings.connectUrl,
  topicPrefix: connectionSettings.topicPrefix,
};
const integer = z.coerce.number().int().min(0);

async function withDeadLetters<T>(command: Command, fn: (d: DeadLetters) => Promise<T>): Promise<T> {
  const s = loadCommandSettings(spec, command);
  const ctx = new KafkaContext({ ...s, allowWrites: true, host: '127.0.0.1', log: createLogger('dlq') });
  const d = new DeadLetters(ctx, new SchemaTexts(s.registryUrl));
  try {
    return await fn(d);
  } finally {
    await d.close();
    await ctx.close();
  }
}

/** `orderflow dlq list|replay|discard`: what the dashboard's dead-letters view does, from a terminal. */
export function register(program: Command): void {
  const dlq = program
    .command('dlq')
    .description('Dead letters: list them, replay one to its source topic (once), or discard it');
  const list = dlq
    .command('list')
    .description('The newest dead letters with their error headers and whether they were handled')
    .option('--topic <dlq topic>', 'one dead-letter topic (default: all of the pipeline)')
    .option('--status <status>', 'all, pending, replayed or discarded', 'all')
    .option('--limit <n>', 'most records shown', '50')
    .option('--json', 'print JSON');
  addSettingFlags(list, spec, ['topicPrefix']).action(
    async (o: { topic?: string; status: string; limit: string; json?: boolean }, command: Command) => {
      const status = parseFlag('--status', z.enum(['all', 'pending', 'replayed', 'discarded']), o.status);
      const limit = parseFlag('--limit', z.coerce.number().int().min(1).max(200), o.limit);
      const result = await withDeadLetters(command, (d) => d.list({ topic: o.topic, status, limit }));
      if (o.json) return console.log(JSON.stringify(result, null, 2));
      for (const t of result.topics) console.log(`${t.topic}: ${t.records} offsets`);
      for (const l of result.deadLetters)
        console.log(
          `${l.coordinates}  ${l.timestampIso ?? ''}  ${l.code ?? ''} at ${l.stage ?? '?'} from ${l.sourceTopic ?? '?'}[${l.sourcePartition ?? '?'}]@${l.sourceOffset ?? '?'}  ${l.handled ? l.handled.action : 'pending'}\n    ${l.error ?? ''}`,
        );
    },
  );
  for (const kind of ['replay', 'discard'] as const) {
    const c = dlq
      .command(kind)
      .description(
        kind === 'replay'
          ? 'Republish a dead letter to its source topic, once (recorded in <prefix>_orderflow_dlq_actions)'
          : 'Mark a dead letter as handled without republishing it',
      )
      .argument('<topic>', 'the dead-letter topic')
      .argument('<partition>', 'its partition')
      .argument('<offset>', 'its offset');
    addSettingFlags(c, spec, ['topicPrefix']).action(
      async (topic: string, partition: string, offset: string, _o: unknown, command: Command) => {
        const p = parseFlag('<partition>', integer, partition);
        const off = parseFlag('<offset>', integer, offset);
        const done = await withDeadLetters(command, (d) => d.act(kind, topic, p, off));
        console.log(
          `${done.coordinates}: ${done.action.action}${done.action.target ? ` to ${done.action.target.topic}` : ''}`,
        );
      },
    );
  }
}
