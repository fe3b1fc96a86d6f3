/**
 * One `orderflow bench` invocation (the suite, a sweep, the sustained run): what it works with (the
 * stack's connections, its log, the printer of its progress lines), when it started, when its
 * --max-minutes budget is spent and the load average then; and how its result file opens.
 */
import { loadSettings } from '../common/config.ts';
import type { Logger } from '../common/logger.ts';
import { connectionSettings } from '../common/settings.ts';
import { loadAverage } from './resources.ts';

export interface Connections {
  kafkaBootstrap: string;
  registryUrl: string;
  connectUrl: string;
  databaseUrl: string;
}

const { kafkaBootstrap, registryUrl, connectUrl, databaseUrl } = connectionSettings;

/** Where the stack is: ORDERFLOW_KAFKA_BOOTSTRAP and the others, or the local stack's defaults. */
export function loadConnections(): Connections {
  return loadSettings({ kafkaBootstrap, registryUrl, connectUrl, databaseUrl });
}

export interface Invocation {
  conn: Connections;
  log: Logger;
  print: (line: string) => void;
  startedAt: Date;
  /** The Date.now() past which the --max-minutes budget is spent. */
  deadline: number;
  loadBefore: number[];
}

export function startInvocation(
  io: Pick<Invocation, 'conn' | 'log' | 'print'>,
  maxMinutes: number,
): Invocation {
  return {
    ...io,
    startedAt: new Date(),
    deadline: Date.now() + maxMinutes * 60_000,
    loadBefore: loadAverage(),
  };
}

/** How every result file opens: its kind, and when the invocation started and finished (now). */
export function resultHead<K extends string>(
  kind: K,
  invocation: Invocation,
): { kind: K; startedAt: string; finishedAt: string } {
  return { kind, startedAt: invocation.startedAt.toISOString(), finishedAt: new Date().toISOString() };
}
