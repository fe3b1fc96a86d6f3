import { z } from 'zod';
import { OrderflowError, describeError } from '../../common/errors.ts';
import { SPLIT, badParam, type KafkaContext } from './context.ts';

export const connectorAction = z.object({
  name: z.string().regex(/^[\w.-]+$/, 'a connector name'),
  action: z.enum(['restart', 'pause', 'resume']),
  /** Restart one task only (restart). */
  task: z.coerce.number().int().min(0).optional(),
});

/** The pipeline's sink connectors: state, tasks with the full trace of a failed one, and actions. */
export class ConnectorsView {
  constructor(private readonly ctx: KafkaContext) {}

  private names(): string[] {
    return SPLIT.map((k) => this.ctx.names.sinkConnector(k));
  }

  async list() {
    const deployed = new Set(await this.ctx.connect.list());
    const connectors = await Promise.all(
      this.names().map(async (name) => {
        if (!deployed.has(name)) return { name, deployed: false, state: 'NOT DEPLOYED', tasks: [] };
        const s = await this.ctx.connect.status(name);
        return {
          name,
          deployed: true,
          state: s?.connector.state ?? 'UNKNOWN',
          worker: s?.connector.worker_id ?? null,
          trace: s?.connector.trace ?? null,
          tasks: (s?.tasks ?? []).map((t) => ({
            id: t.id,
            state: t.state,
            worker: t.worker_id ?? null,
            trace: t.trace ?? null,
          })),
        };
      }),
    );
    return { connectors };
  }

  /** restart (connector and its failed tasks, or one task), pause, resume. */
  async act(name: string, action: 'restart' | 'pause' | 'resume', task?: number) {
    if (!this.names().includes(name)) throw badParam('name', name, `one of ${this.names().join(', ')}`);
    const base = this.ctx.o.connectUrl.replace(/\/+$/, '');
    const path =
      action === 'restart'
        ? task === undefined
          ? `/connectors/${name}/restart?includeTasks=true&onlyFailed=false`
          : `/connectors/${name}/tasks/${task}/restart`
        : `/connectors/${name}/${action}`;
    const method = action === 'restart' ? 'POST' : 'PUT';
    let response: Response;
    try {
      response = await fetch(base + path, { method, signal: AbortSignal.timeout(15_000) });
    } catch (error) {
      throw new OrderflowError(
        'ORDERFLOW_CONNECT_UNAVAILABLE',
        `Kafka Connect did not answer ${method} ${path}: ${describeError(error)}`,
        {
          cause: error,
          retriable: true,
        },
      );
    }
    if (response.status >= 300) {
      const body = await response.text();
      throw new OrderflowError(
        'ORDERFLOW_CONNECTOR_FAILED',
        `${action} ${name}: HTTP ${response.status}: ${body.slice(0, 300)}`,
        {
          retriable: response.status >= 500,
        },
      );
    }
    return { name, action, ...(task !== undefined ? { task } : {}), status: response.status };
  }
}
