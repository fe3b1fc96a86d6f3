/**
 * The SQL tab's queries: each read-only statement runs through the Flink SQL Gateway in a session
 * with the pipeline's catalog (common/flink-session.ts), its rows kept for the page to poll. A query
 * stops at `maxRows` rows or after `maxSeconds`, or when cancelled, and stopping it cancels its Flink
 * job (the gateway's cancel, then the JobManager's, waiting until the job has stopped).
 */
import { randomUUID } from 'node:crypto';
import { OrderflowError, isOrderflowError } from '../../common/errors.ts';
import { errorPosition, inScript, type Position } from '../../common/flink-error.ts';
import type { Column, Row } from '../../common/flink-gateway.ts';
import { catalogSession, type CatalogSession, type FlinkSessionParams } from '../../common/flink-session.ts';
import type { Logger } from '../../common/logger.ts';
import { readOnlyStatement } from './statement.ts';

export interface SqlOptions extends FlinkSessionParams {
  /** Rows kept per query before it is stopped (default 500). */
  maxRows?: number;
  /** Seconds a query may run before it is stopped (default 30). */
  maxSeconds?: number;
  /** Queries running at once (each holds a TaskManager slot; the local TaskManager has 4). */
  maxRunning?: number;
  log: Logger;
}

export type QueryState = 'running' | 'finished' | 'row-limit' | 'time-limit' | 'cancelled' | 'failed';

export interface QueryView {
  id: string;
  statement: string;
  state: QueryState;
  columns: { name: string; type: string }[];
  /** Rows from `after` on: the change kind (+I, -U, +U, -D) and the fields. */
  rows: { op: string; fields: unknown[] }[];
  total: number;
  jobId: string | null;
  jobUrl: string | null;
  elapsedMs: number;
  error: { code: string; message: string; line?: number; column?: number } | null;
}

/** A rejected statement: Flink's message, and where in the submitted text (HTTP 400). */
export class StatementRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly position: Position | undefined,
  ) {
    super(message);
  }
}

const OP: Record<Row['kind'], string> = {
  INSERT: '+I',
  UPDATE_BEFORE: '-U',
  UPDATE_AFTER: '+U',
  DELETE: '-D',
};

interface Query {
  id: string;
  statement: string;
  state: QueryState;
  columns: Column[];
  rows: { op: string; fields: unknown[] }[];
  jobId: string | null;
  started: number;
  ended: number | null;
  error: QueryView['error'];
  abort: AbortController;
  stopAs: QueryState | null;
  done: Promise<void>;
}

/** A session is reused while in use; after this long idle it is reopened (the gateway drops it at 10 min). */
const SESSION_IDLE_MS = 5 * 60_000;
/** Ended queries kept for the page to read. */
const KEEP_ENDED = 20;

export class SqlQueries {
  readonly maxRows: number;
  readonly maxSeconds: number;
  readonly maxRunning: number;
  readonly flinkUrl: string;
  private session?: Promise<CatalogSession>;
  private lastUsed = 0;
  private readonly queries = new Map<string, Query>();

  constructor(private readonly o: SqlOptions) {
    this.maxRows = o.maxRows ?? 500;
    this.maxSeconds = o.maxSeconds ?? 30;
    this.maxRunning = o.maxRunning ?? 2;
    this.flinkUrl = `http://127.0.0.1:${o.flinkRestPort}/`;
  }

  private async client(): Promise<CatalogSession> {
    const running = [...this.queries.values()].some((q) => q.state === 'running');
    if (this.session && !running && Date.now() - this.lastUsed > SESSION_IDLE_MS) this.dropSession();
    this.lastUsed = Date.now();
    this.session ??= catalogSession(this.o);
    try {
      return await this.session;
    } catch (error) {
      this.session = undefined;
      throw error;
    }
  }

  private dropSession(): void {
    const old = this.session;
    this.session = undefined;
    void old?.then((c) => c.close()).catch(() => undefined);
  }

  /**
   * Start a statement; resolves once Flink has accepted it (its columns are known) or the result has
   * ended, and rejects with StatementRejected when Flink refuses it.
   */
  async start(text: string): Promise<QueryView> {
    const stmt = readOnlyStatement(text);
    if (this.running().length >= this.maxRunning)
      throw new OrderflowError(
        'ORDERFLOW_USAGE',
        `${this.maxRunning} queries are running already: cancel one first (each holds a Flink task slot)`,
      );
    const client = await this.client();
    const q: Query = {
      id: randomUUID(),
      statement: stmt.text,
      state: 'running',
      columns: [],
      rows: [],
      jobId: null,
      started: Date.now(),
      ended: null,
      error: null,
      abort: new AbortController(),
      stopAs: null,
      done: Promise.resolve(),
    };
    this.queries.set(q.id, q);
    this.prune();
    let accepted!: () => void;
    const acceptedOnce = new Promise<void>((resolve) => (accepted = resolve));
    const timer = setTimeout(() => this.stop(q, 'time-limit'), this.maxSeconds * 1000);
    q.done = client
      .execute(
        stmt.text,
        {
          columns: (columns) => {
            q.columns = columns;
            accepted();
          },
          rows: (rows) => {
            for (const r of rows) {
              if (q.rows.length >= this.maxRows) break;
              q.rows.push({ op: OP[r.kind] ?? r.kind, fields: r.fields });
            }
            if (q.rows.length >= this.maxRows) this.stop(q, 'row-limit');
          },
          job: (jobId) => {
            q.jobId = jobId;
          },
        },
        q.abort.signal,
      )
      .then(
        () => {
          q.state = q.stopAs ?? 'finished';
        },
        (error: unknown) => {
          q.state = 'failed';
          const message = error instanceof Error ? error.message : String(error);
          const p = errorPosition(message);
          const at = p ? inScript(p, stmt) : undefined;
          q.error = {
            code: isOrderflowError(error) ? error.code : 'INTERNAL',
            message,
            ...(at ? { line: at.line, column: at.column } : {}),
          };
          if (isOrderflowError(error) && error.code === 'ORDERFLOW_TOPIC_MISSING') this.dropSession();
          if (isOrderflowError(error) && error.code === 'ORDERFLOW_FLINK_UNAVAILABLE') this.dropSession();
          if (!isOrderflowError(error)) this.o.log.error({ err: error }, 'SQL tab query failed');
        },
      )
      .finally(() => {
        clearTimeout(timer);
        q.ended = Date.now();
        this.lastUsed = Date.now();
        accepted();
      });
    await acceptedOnce;
    if (q.state === 'failed' && q.error) {
      this.queries.delete(q.id);
      throw new StatementRejected(
        q.error.code,
        q.error.message,
        q.error.line ? { line: q.error.line, column: q.error.column! } : undefined,
      );
    }
    return this.view(q.id, 0);
  }

  private stop(q: Query, as: QueryState): void {
    if (q.state !== 'running' || q.stopAs) return;
    q.stopAs = as;
    q.abort.abort();
  }

  private running(): Query[] {
    return [...this.queries.values()].filter((q) => q.state === 'running');
  }

  private prune(): void {
    const ended = [...this.queries.values()].filter((q) => q.state !== 'running');
    for (const q of ended.slice(0, Math.max(0, ended.length - KEEP_ENDED))) this.queries.delete(q.id);
  }

  private find(id: string): Query {
    const q = this.queries.get(id);
    if (!q)
      throw new OrderflowError(
        'ORDERFLOW_USAGE',
        `query ${id}: no such query (ended queries are kept ${KEEP_ENDED} deep)`,
      );
    return q;
  }

  /** A query's state and its rows from `after` on. */
  view(id: string, after: number): QueryView {
    const q = this.find(id);
    return {
      id: q.id,
      statement: q.statement,
      state: q.state,
      columns: q.columns.map((c) => ({ name: c.name, type: typeName(c) })),
      rows: q.rows.slice(after),
      total: q.rows.length,
      jobId: q.jobId,
      jobUrl: q.jobId ? `${this.flinkUrl}#/job/running/${q.jobId}/overview` : null,
      elapsedMs: (q.ended ?? Date.now()) - q.started,
      error: q.error,
    };
  }

  /** Cancel a running query; resolves when its Flink job has stopped (or after the cancel's 15 s bound). */
  async cancel(id: string): Promise<QueryView> {
    const q = this.find(id);
    this.stop(q, 'cancelled');
    await q.done;
    return this.view(id, q.rows.length);
  }

  async close(): Promise<void> {
    for (const q of this.running()) this.stop(q, 'cancelled');
    await Promise.all([...this.queries.values()].map((q) => q.done));
    const s = this.session;
    this.session = undefined;
    await s?.then((c) => c.close()).catch(() => undefined);
  }
}

function typeName(c: Column): string {
  const t = c.logicalType;
  const args =
    t.precision !== undefined && t.scale !== undefined
      ? `(${t.precision}, ${t.scale})`
      : t.length !== undefined && t.type !== 'VARCHAR'
        ? `(${t.length})`
        : '';
  return `${t.type}${args}${t.nullable ? '' : ' NOT NULL'}`;
}
