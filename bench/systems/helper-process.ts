import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { OrderflowError } from '../../common/errors.ts';
import type { Probe } from './probe.ts';

/**
 * Run a benchmark helper process, `file` in bench/ (passthrough-process.ts, splitter-process.ts)
 * with `args` as its one JSON argument: the probe watches its CPU and opens its window once the
 * process says "ready"; returns its final JSON line.
 */
export async function helperProcess<T>(file: string, args: object, name: string, probe: Probe): Promise<T> {
  const main = fileURLToPath(new URL(`../${file}`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined)
    throw new OrderflowError('ORDERFLOW_USAGE', `could not start the ${name} process`);
  probe.watch(name, child.pid);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let final: string | undefined;
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line === 'ready') probe.begin();
    else if (line.startsWith('{')) {
      final = line;
      probe.end(); // before the process exits, while /proc still has its peak RSS
    }
  }
  probe.end();
  const code = await exited;
  const parsed = final ? (JSON.parse(final) as { ok: boolean; error?: string }) : undefined;
  if (!parsed?.ok) {
    throw new OrderflowError(
      'ORDERFLOW_USAGE',
      `${name} process exited ${code}: ${parsed?.error ?? stderr.slice(-800)}`,
    );
  }
  return parsed as unknown as T;
}
