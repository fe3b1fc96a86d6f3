import { describeError } from '../../common/errors.ts';
import type { ConnectClient } from '../../common/connect-client.ts';
import { answerWithin } from './answer-within.ts';
import { parsePrometheusText, total } from './prometheus-text.ts';

/** One service the pipeline depends on, and whether it answered this refresh. */
export interface ComponentView {
  name: 'Kafka' | 'Schema registry' | 'Kafka Connect' | 'PostgreSQL';
  address: string;
  up: boolean;
  /** Why it is down (the client's own message), or what answered. */
  detail: string;
}

export interface ProcessorView {
  url: string;
  reachable: boolean;
  stage: string | null;
  recordsIn: number;
  recordsOut: number;
  failed: number;
  dlq: number;
  error?: string;
}

/** Connect's connectors of this pipeline and their tasks' states. */
export interface ConnectView {
  available: boolean;
  error?: string;
  connectors: { name: string; state: string; tasks: { id: number; state: string; trace?: string }[] }[];
}

/** Whether `check` succeeds within 3 s: up, or down with the cause. */
export async function probe(check: () => Promise<void>): Promise<{ up: boolean; detail: string }> {
  try {
    await answerWithin(check(), 3000, 'the check');
    return { up: true, detail: 'answering' };
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    return { up: false, detail: describeError(error) + (cause ? `: ${describeError(cause)}` : '') };
  }
}

/** A processor's counters from its /metrics, or why it did not answer. */
export async function readProcessor(url: string): Promise<ProcessorView> {
  const base = url.replace(/\/+$/, '');
  try {
    const response = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(1500) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const samples = parsePrometheusText(await response.text());
    const stage = samples.find((s) => s.name === 'orderflow_stage_records_in_total')?.labels.stage ?? null;
    return {
      url: base,
      reachable: true,
      stage,
      recordsIn: total(samples, 'orderflow_stage_records_in_total'),
      recordsOut: total(samples, 'orderflow_stage_records_out_total'),
      failed: total(samples, 'orderflow_stage_records_failed_total'),
      dlq: total(samples, 'orderflow_stage_records_dlq_total'),
    };
  } catch (error) {
    return {
      url: base,
      reachable: false,
      stage: null,
      recordsIn: 0,
      recordsOut: 0,
      failed: 0,
      dlq: 0,
      error: describeError(error),
    };
  }
}

/** The states of the connectors named `<prefix>orderflow-*`. */
export async function readConnectors(connect: ConnectClient, prefix: string): Promise<ConnectView> {
  try {
    const names = (await connect.list()).filter((n) => n.startsWith(`${prefix}orderflow-`));
    const statuses = await Promise.all(names.map((n) => connect.status(n)));
    return {
      available: true,
      connectors: statuses
        .filter((s) => s !== null)
        .map((s) => ({
          name: s.name,
          state: s.connector.state,
          tasks: s.tasks.map((t) => ({
            id: t.id,
            state: t.state,
            ...(t.trace ? { trace: t.trace.split('\n')[0] } : {}),
          })),
        })),
    };
  } catch (error) {
    return { available: false, error: describeError(error), connectors: [] };
  }
}
