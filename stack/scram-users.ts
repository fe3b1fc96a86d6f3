/**
 * SCRAM-SHA-512 users of the local broker, set and removed through Kafka's own ConfigCommand on the
 * PLAINTEXT listener (the node client has no SCRAM admin call). The password never goes on a command
 * line or into an error message: ConfigCommand reads it from a file only this user can read, in a
 * private directory, removed as soon as the command ends (its stdin is a socket it cannot open).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OrderflowError } from '../common/errors.ts';
import { kafkaClasspath } from './jvm.ts';
import { SASL_MECHANISM } from './kafka-sasl.ts';
import type { StackPaths } from './settings.ts';

/** What ConfigCommand's `[key=value,...]` syntax and Java properties files can carry unescaped. */
export function scramCredentialProblem(user: string, password: string): string | undefined {
  if (!/^[A-Za-z0-9._@-]+$/.test(user))
    return `ORDERFLOW_KAFKA_SASL_USERNAME must be letters, digits, ".", "_", "@" and "-"`;
  if (password.length < 8) return 'ORDERFLOW_KAFKA_SASL_PASSWORD must be at least 8 characters';
  if (/[\s,[\]\\=:#!]/.test(password))
    return 'ORDERFLOW_KAFKA_SASL_PASSWORD must not contain whitespace or any of , [ ] \\ = : # !';
  return undefined;
}

function configCommand(p: StackPaths, bootstrap: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'java',
      [
        '-Xmx128m',
        '-XX:TieredStopAtLevel=1',
        '-cp',
        kafkaClasspath(p),
        'kafka.admin.ConfigCommand',
        '--bootstrap-server',
        bootstrap,
        '--entity-type',
        'users',
        ...args,
      ],
      { timeout: 60_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${stderr || stdout}`.trim())) : resolve(stdout)),
    );
  });
}

/** Create the user, or give it a new password (idempotent). */
export async function setScramUser(
  p: StackPaths,
  bootstrap: string,
  user: string,
  password: string,
): Promise<void> {
  const problem = scramCredentialProblem(user, password);
  if (problem) throw new OrderflowError('ORDERFLOW_CONFIG_INVALID', problem);
  const dir = mkdtempSync(path.join(tmpdir(), 'orderflow-scram-'));
  const file = path.join(dir, 'credential.properties');
  try {
    writeFileSync(file, `${SASL_MECHANISM}=iterations=4096,password=${password}\n`, { mode: 0o600 });
    await configCommand(p, bootstrap, ['--entity-name', user, '--alter', '--add-config-file', file]);
  } catch (error) {
    const why = (error as Error).message.replaceAll(password, '[redacted]');
    throw new OrderflowError('ORDERFLOW_STACK_START_FAILED', `could not set SCRAM user ${user}: ${why}`, {
      cause: new Error(why),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Remove the user's SCRAM credential (a missing one is fine). */
export async function deleteScramUser(p: StackPaths, bootstrap: string, user: string): Promise<void> {
  try {
    await configCommand(p, bootstrap, ['--entity-name', user, '--alter', '--delete-config', SASL_MECHANISM]);
  } catch (error) {
    if (!/not found|does not exist|ResourceNotFound/i.test((error as Error).message)) throw error;
  }
}

/** The users that have a SCRAM credential. */
export async function scramUsers(p: StackPaths, bootstrap: string): Promise<string[]> {
  const out = await configCommand(p, bootstrap, ['--describe']);
  return [...out.matchAll(/(?:SCRAM credential configs|Configs) for user-principal '([^']+)'/g)].map(
    (m) => m[1]!,
  );
}
