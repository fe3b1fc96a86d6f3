import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchedProcessGone, runningPid } from '../../../stack/process.ts';

// Local processes only (sleep), no broker: how `stack up` tells "still starting" from "exited".
describe('stack processes', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'orderflow-process-'));
  const pidFile = path.join(dir, 'x.pid');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a launched process without the marker on its command line is running, not gone', async () => {
    // Right after spawn a child can still show its parent's command line; here it never shows the
    // marker at all, and must still count as running until it dies.
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    writeFileSync(pidFile, `${child.pid}\n`);
    expect(runningPid(pidFile, '-Dorderflow.component=kafka')).toBeUndefined();
    expect(launchedProcessGone(pidFile)).toBe(false);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(launchedProcessGone(pidFile)).toBe(true);
  });

  it('no pid file, or a pid file without a pid, is gone', () => {
    expect(launchedProcessGone(path.join(dir, 'missing.pid'))).toBe(true);
    writeFileSync(pidFile, 'not a pid\n');
    expect(launchedProcessGone(pidFile)).toBe(true);
  });
});
