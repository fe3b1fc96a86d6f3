/**
 * A small client of the Flink SQL Gateway's REST API (v2+): sessions, statements, paged results,
 * cancellation. `orderflow sql` talks to the gateway through it rather than through Flink's Java SQL
 * client: that client starts a JVM per call (~4 s), exits 0 when a statement of a -f script fails,
 * and its embedded mode needs flink-python; the REST API gives the rows as JSON and Flink's own
 * error text.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { OrderflowError } from './errors.ts';
import { flinkErrorMessage } from './flink-error.ts';

export interface Column {
  name: string;
  logicalType: { type: string; nullable: boolean; length?: number; precision?: number; scale?: number };
}

export interface Row {
  kind: 'INSERT' | 'UPDATE_BEFORE' | 'UPDATE_AFTER' | 'DELETE';
  fields: unknown[];
}

interface ResultPage {
  resultType: 'NOT_READY' | 'PAYLOAD' | 'EOS';
  isQueryResult?: boolean;
  jobID?: string;
  resultKind?: 'SUCCESS' | 'SUCCESS_WITH_CONTENT';
  results?: { columns?: Column[]; data?: Row[] };
  nextResultUri?: string;
}

export interface ResultHandler {
  /** Called once, when the columns are known. */
  columns(columns: Column[], isQuery: boolean): void;
  rows(rows: Row[]): void;
  /** Called once, when the gateway names the job the statement started (a query, INSERT INTO). */
  job?(jobId: string): void;
}

export function unavailable(what: string, cause?: unknown): OrderflowError {
  return new OrderflowError(
    'ORDERFLOW_FLINK_UNAVAILABLE',
    `${what}: start Flink with \`ORDERFLOW_FLINK=on orderflow stack up\` (or \`orderflow run\`); \`orderflow stack status\` shows which part is down`,
    { cause },
  );
}

export class GatewayClient {
  private session?: string;
  /** Turns Flink's message into a more helpful error (the catalog's tables without a topic). */
  explain?: (message: string) => OrderflowError | undefined;

  constructor(
    readonly base: string,
    readonly clusterRest: string,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      throw unavailable(`the Flink SQL Gateway does not answer at ${this.base}`, error);
    }
    const text = await res.text();
    if (!res.ok) {
      const message = flinkErrorMessage(text);
      throw this.explain?.(message) ?? new OrderflowError('ORDERFLOW_SQL_FAILED', message);
    }
    return (text ? JSON.parse(text) : {}) as T;
  }

  /** Check the gateway and the cluster behind it (a TaskManager with slots), then open a session. */
  async open(properties: Record<string, string> = {}): Promise<void> {
    await this.call('GET', '/v1/info');
    let overview: { taskmanagers: number } | undefined;
    try {
      const res = await fetch(`${this.clusterRest}/overview`, { signal: AbortSignal.timeout(5000) });
      overview = res.ok ? ((await res.json()) as { taskmanagers: number }) : undefined;
    } catch (error) {
      throw unavailable(`the Flink JobManager does not answer at ${this.clusterRest}`, error);
    }
    if (!overview) throw unavailable(`the Flink JobManager at ${this.clusterRest} gave no overview`);
    if (overview.taskmanagers === 0)
      throw unavailable(`the Flink cluster at ${this.clusterRest} has no TaskManager, so no query can run`);
    const r = await this.call<{ sessionHandle: string }>('POST', '/v1/sessions', {
      sessionName: 'orderflow-sql',
      properties,
    });
    this.session = r.sessionHandle;
  }

  private get s(): string {
    if (!this.session) throw new Error('GatewayClient: open() first');
    return this.session;
  }

  /**
   * Run one statement and hand its result to `handler` page by page until the end of the result
   * (unbounded queries: until `signal` aborts, which cancels the operation). Returns the job id if the
   * statement started a job (INSERT INTO, a query).
   */
  async execute(
    statement: string,
    handler: ResultHandler,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const { operationHandle } = await this.call<{ operationHandle: string }>(
      'POST',
      `/v1/sessions/${this.s}/statements`,
      { statement },
    );
    let uri = `/v1/sessions/${this.s}/operations/${operationHandle}/result/0?rowFormat=JSON`;
    let announced = false;
    let jobId: string | undefined;
    try {
      for (;;) {
        if (signal?.aborted) break;
        const page = await this.call<ResultPage>('GET', uri);
        if (page.jobID && page.jobID !== jobId) handler.job?.(page.jobID);
        jobId = page.jobID ?? jobId;
        if (page.resultType !== 'NOT_READY' && !announced && page.results?.columns) {
          handler.columns(page.results.columns, page.isQueryResult ?? false);
          announced = true;
        }
        if (page.results?.data?.length) handler.rows(page.results.data);
        if (page.resultType === 'EOS' || !page.nextResultUri) break;
        uri = page.nextResultUri.includes('rowFormat')
          ? page.nextResultUri
          : `${page.nextResultUri}?rowFormat=JSON`;
        if (page.resultType === 'NOT_READY' || !page.results?.data?.length)
          await sleep(250, undefined, { signal }).catch(() => undefined);
      }
    } finally {
      if (signal?.aborted) await this.cancel(operationHandle, jobId);
    }
    return jobId;
  }

  /**
   * Cancel an operation and the job it started: the gateway's cancel does not always reach the
   * cluster, so the job is also cancelled through the JobManager's REST API, and this waits (up to
   * 15 s) until the job is no longer running.
   */
  private async cancel(operationHandle: string, jobId: string | undefined): Promise<void> {
    await this.call('POST', `/v1/sessions/${this.s}/operations/${operationHandle}/cancel`).catch(
      () => undefined,
    );
    await this.call('DELETE', `/v1/sessions/${this.s}/operations/${operationHandle}/close`).catch(
      () => undefined,
    );
    if (jobId) await cancelClusterJob(this.clusterRest, jobId);
  }

  async close(): Promise<void> {
    if (!this.session) return;
    await this.call('DELETE', `/v1/sessions/${this.session}`).catch(() => undefined);
    this.session = undefined;
  }
}

const FINISHED = new Set(['CANCELED', 'FINISHED', 'FAILED']);

/** Cancel a job on the cluster and wait (bounded) until it has stopped; errors are swallowed. */
export async function cancelClusterJob(restUrl: string, jobId: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${restUrl}/jobs/${jobId}`, { signal: AbortSignal.timeout(3000) });
      if (res.status === 404) return;
      const { state } = (await res.json()) as { state: string };
      if (FINISHED.has(state)) return;
      if (state !== 'CANCELLING')
        await fetch(`${restUrl}/jobs/${jobId}?mode=cancel`, {
          method: 'PATCH',
          signal: AbortSignal.timeout(3000),
        });
    } catch {
      // the JobManager is gone or slow: try again until the deadline
    }
    await sleep(250);
  }
}
