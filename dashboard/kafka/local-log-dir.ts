import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadSettings } from '../../common/config.ts';
import { stackSettings } from '../../stack/settings.ts';

/**
 * The log.dirs of the local stack's broker when the dashboard talks to that broker (sizes on disk
 * are read from it); undefined for any other cluster, whose disks the dashboard cannot see.
 */
export function localKafkaLogDir(bootstrap: string): string | undefined {
  try {
    const stack = loadSettings(stackSettings);
    if (bootstrap !== `127.0.0.1:${stack.kafkaPort}` && bootstrap !== `localhost:${stack.kafkaPort}`)
      return undefined;
    const props = path.join(stack.home, 'conf', 'server.properties');
    if (!existsSync(props)) return undefined;
    const line = readFileSync(props, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('log.dirs='));
    return line?.slice('log.dirs='.length).split(',')[0]?.trim() || undefined;
  } catch {
    return undefined;
  }
}
