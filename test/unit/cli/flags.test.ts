/**
 * Across every command: a setting's flag has one spelling, and its help names its variable.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { settingsCatalog } from '../../../cli/settings-catalog.ts';

const PARTS = [
  '../../../stack/command.ts',
  '../../../cli/run.ts',
  '../../../cli/config-command.ts',
  '../../../producer/command.ts',
  '../../../warehouse/command.ts',
  '../../../connect/command.ts',
  '../../../splitter/command.ts',
  '../../../processors/command.ts',
  '../../../bench/command.ts',
  '../../../dashboard/command.ts',
  '../../../dashboard/kafka/command.ts',
  '../../../api/command.ts',
  '../../../storefront/command.ts',
];

async function allOptions(): Promise<{ command: string; flag: string; help: string }[]> {
  const program = new Command('orderflow');
  for (const part of PARTS) ((await import(part)) as { register: (p: Command) => void }).register(program);
  const out: { command: string; flag: string; help: string }[] = [];
  const walk = (c: Command, path: string): void => {
    for (const o of c.options) out.push({ command: path, flag: o.long ?? o.flags, help: o.description });
    for (const sub of c.commands) walk(sub, `${path} ${sub.name()}`.trim());
  };
  walk(program, '');
  return out;
}

describe('command-line flags', () => {
  it('a setting has one flag spelling on every command (run spells the dashboard and API ports --dashboard-port, --api-port)', async () => {
    const options = await allOptions();
    const flagged = new Map(
      settingsCatalog()
        .filter((r) => r.flag)
        .map((r) => [r.env, r.flag!]),
    );
    const wrong: string[] = [];
    let checked = 0;
    for (const o of options) {
      const env = /\((ORDERFLOW_[A-Z0-9_]+)[,)]/.exec(o.help)?.[1];
      if (!env) continue;
      checked++;
      const runSpelling: Record<string, string> = {
        ORDERFLOW_DASHBOARD_PORT: '--dashboard-port',
        ORDERFLOW_API_PORT: '--api-port',
      };
      const expected = (o.command === 'run' ? runSpelling[env] : undefined) ?? flagged.get(env);
      if (o.flag !== expected) wrong.push(`${o.command} ${o.flag} (${env}, expected ${expected})`);
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(30);
  });

  it('the shared flags are where they belong, and the old spellings are gone', async () => {
    const options = await allOptions();
    const has = (command: string, flag: string) =>
      options.some((o) => o.command === command && o.flag === flag);
    for (const command of [
      'generate',
      'process',
      'split',
      'topics',
      'connect deploy',
      'reconcile',
      'dashboard',
      'api',
    ])
      expect(has(command, '--topic-prefix'), command).toBe(true);
    for (const command of ['generate', 'process', 'run', 'bench'])
      expect(has(command, '--seed'), command).toBe(true);
    for (const command of ['generate', 'process', 'split', 'bench'])
      expect(has(command, '--batch-size'), command).toBe(true);
    for (const command of ['process', 'split']) expect(has(command, '--instance-id'), command).toBe(true);
    expect(options.filter((o) => o.flag === '--prefix' || o.flag === '--instance')).toEqual([]);
  });
});
