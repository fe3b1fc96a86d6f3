import type { Command } from 'commander';
import { describeKafkaPassthrough } from '../common/settings.ts';
import { settingsCatalog } from './settings-catalog.ts';

export function register(program: Command): void {
  program
    .command('config')
    .description(
      'List every environment setting: variable, default, which commands read it, its flag, and what it means',
    )
    .option('--markdown', 'print a Markdown table (as in the README)')
    .action((opts: { markdown?: boolean }) => {
      const rows = settingsCatalog();
      if (opts.markdown) {
        console.log('| variable | default | used by | flag | meaning |\n|---|---|---|---|---|');
        for (const r of rows) {
          const flag = r.flag ? `\`${r.flag}\`` : '';
          console.log(
            `| \`${r.env}\` | \`${r.default}\` | ${r.usedBy.join(', ')} | ${flag} | ${r.doc.replaceAll('|', '\\|')} |`,
          );
        }
        return;
      }
      for (const r of rows)
        console.log(
          `${r.env.padEnd(40)} ${r.default.padEnd(28)} ${r.usedBy.join(',').padEnd(18)} ${(r.flag ?? '').padEnd(22)} ${r.doc}`,
        );
      const passthrough = describeKafkaPassthrough();
      console.log(
        `\nlibrdkafka properties set through ORDERFLOW_KAFKA_* (secrets masked):${passthrough.length ? '' : ' none'}`,
      );
      for (const line of passthrough) console.log(`  ${line}`);
    });
}
