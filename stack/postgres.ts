// PostgreSQL: a private cluster under the state directory, on its own port and socket directory.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OrderflowError } from '../common/errors.ts';
import type { Component } from './components.ts';
import { isAlive } from './process.ts';
import type { StackPaths, StackSettings } from './settings.ts';

const PG_BIN = process.env.ORDERFLOW_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * Where the cluster's data, socket and log live. Normally under the state directory; but when run as
 * root the cluster belongs to the `postgres` user, and if that user cannot reach the state directory
 * (a checkout inside a private directory, e.g. one made by mktemp -d), the cluster goes under
 * /var/lib/postgresql/orderflow-<hash of the state directory> instead: still one per state directory.
 */
export function postgresPaths(p: StackPaths): {
  dataDir: string;
  socketDir: string;
  logFile: string;
  base?: string;
} {
  const underHome = {
    dataDir: path.join(p.data, 'postgres'),
    socketDir: path.join(p.run, 'postgres'),
    logFile: path.join(p.logs, 'postgres.log'),
  };
  if (process.getuid?.() !== 0) return underHome;
  let existing = p.home;
  while (!existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  try {
    execFileSync('runuser', ['-u', 'postgres', '--', 'test', '-x', existing], { stdio: 'ignore' });
    return underHome;
  } catch {
    const base = `/var/lib/postgresql/orderflow-${createHash('sha256').update(p.home).digest('hex').slice(0, 12)}`;
    return {
      dataDir: path.join(base, 'data'),
      socketDir: path.join(base, 'run'),
      logFile: path.join(base, 'postgres.log'),
      base,
    };
  }
}

/**
 * Settings read only at server start, which `stack up` checks on a running cluster and restarts it
 * once to apply (a cluster from an older orderflow keeps its old values until then).
 * - wal_level=logical: logical decoding for the shop database's change data capture.
 * - synchronous_commit=on: a commit the sink and the services see acknowledged is on disk, as the
 *   exactly-once promise needs (the WAL fsync is per transaction, and the sink commits per batch).
 */
export const START_SETTINGS = { wal_level: 'logical', synchronous_commit: 'on' } as const;

/**
 * The server's options, passed on every start (nothing is written into postgresql.conf): the start
 * settings above, slots and WAL senders for several pipelines' Debezium connectors, and a cap on the
 * WAL a slot may hold back (an abandoned slot is invalidated at 4 GB instead of filling the disk;
 * `orderflow shop reset` drops it anyway). max_wal_size 2 GB spaces out the checkpoints of a
 * backfill's write burst.
 */
export function serverOptions(pgPort: number, socketDir: string): string {
  return [
    `-p ${pgPort} -k ${socketDir} -h 127.0.0.1`,
    '-c shared_buffers=256MB -c max_connections=200 -c max_wal_size=2GB',
    ...Object.entries(START_SETTINGS).map(([k, v]) => `-c ${k}=${v}`),
    '-c max_replication_slots=40 -c max_wal_senders=40 -c max_slot_wal_keep_size=4096',
  ].join(' ');
}

export function postgres(s: StackSettings, p: StackPaths): Component {
  const { dataDir, socketDir, logFile, base } = postgresPaths(p);
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const asRoot = process.getuid?.() === 0;
  // initdb refuses to run as root: the cluster then belongs to the `postgres` system user.
  const run = (bin: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(PG_BIN, bin), ...args], { stdio: 'pipe' })
      : execFileSync(path.join(PG_BIN, bin), args, { stdio: 'pipe' });
  /** One value from the running cluster, as psql prints it unaligned (`-tA`). */
  const psqlValue = (sql: string) =>
    run('psql', [
      '-h',
      '127.0.0.1',
      '-p',
      String(s.pgPort),
      '-U',
      'orderflow',
      '-d',
      'postgres',
      '-tAc',
      sql,
    ]).toString();
  const own = (target: string, isFile = false) => {
    if (!isFile) mkdirSync(target, { recursive: true });
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      chownSync(target, uid, gid);
    }
  };
  const pid = () => {
    if (!existsSync(pidFile)) return undefined;
    const n = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
    return Number.isInteger(n) && isAlive(n) ? n : undefined;
  };
  /** `pg_ctl start` or `restart` with the server's options and log, waiting until it accepts connections. */
  const serverCtl = (action: 'start' | 'restart', flags: string[] = []) =>
    run('pg_ctl', [
      '-D',
      dataDir,
      '-l',
      logFile,
      '-o',
      serverOptions(s.pgPort, socketDir),
      ...flags,
      '-w',
      '-t',
      String(s.startTimeoutSec),
      action,
    ]);
  return {
    name: 'postgres',
    port: s.pgPort,
    logFile,
    url: `postgres://orderflow@127.0.0.1:${s.pgPort}/orderflow`,
    pid,
    exited: () => false, // pg_ctl start -w waits for the server itself
    healthy: async () => {
      try {
        execFileSync(path.join(PG_BIN, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(s.pgPort)], {
          stdio: 'ignore',
        });
        return true;
      } catch {
        return false;
      }
    },
    start: async () => {
      if (!existsSync(path.join(PG_BIN, 'initdb'))) {
        throw new OrderflowError(
          'ORDERFLOW_STACK_NOT_INSTALLED',
          `PostgreSQL 15 binaries not found in ${PG_BIN}: run scripts/setup.sh (or set ORDERFLOW_PG_BIN)`,
        );
      }
      for (const dir of [p.data, p.logs, p.run]) mkdirSync(dir, { recursive: true });
      if (base) own(base);
      own(socketDir);
      const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'));
      if (fresh) {
        own(dataDir);
        run('initdb', ['-D', dataDir, '-U', 'orderflow', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
      }
      own(path.dirname(logFile));
      if (!existsSync(logFile)) writeFileSync(logFile, '');
      own(logFile, true);
      serverCtl('start');
      // Databases: the warehouse (orderflow) and the registry's storage (apicurio). Created if missing.
      const list = psqlValue('select datname from pg_database').split('\n');
      for (const db of ['orderflow', 'apicurio']) {
        if (!list.includes(db))
          run('createdb', ['-h', '127.0.0.1', '-p', String(s.pgPort), '-U', 'orderflow', db]);
      }
    },
    reconfigure: async () => {
      // A cluster started by an older orderflow keeps its start settings (wal_level=replica before
      // change data capture, synchronous_commit=off before durability) until it restarts: restart it
      // once, with the same options.
      if (pid() === undefined) return undefined;
      const stale = Object.entries(START_SETTINGS)
        .map(([k, v]) => ({ k, v, now: psqlValue(`show ${k}`).trim() }))
        .filter((x) => x.now !== x.v);
      if (stale.length === 0) return undefined;
      serverCtl('restart', ['-m', 'fast']);
      return `restarted: ${stale.map((x) => `${x.k} was ${x.now}, now ${x.v}`).join('; ')}`;
    },
    stop: async () => {
      if (pid() === undefined) return 'not running';
      run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
      return 'stopped';
    },
  };
}
