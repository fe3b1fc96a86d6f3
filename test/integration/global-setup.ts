import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Integration tests run against the real local stack: start it (idempotent: a running stack is left
 * alone) before any test file runs. The stack stays up afterwards, so a second run is fast.
 */
export default function setup(): void {
  const bin = fileURLToPath(new URL('../../bin/orderflow.mjs', import.meta.url));
  const result = spawnSync(process.execPath, [bin, 'stack', 'up'], {
    stdio: 'inherit',
    timeout: 15 * 60_000,
  });
  if (result.status !== 0)
    throw new Error(`orderflow stack up failed (exit ${result.status}): see the output above`);
}
