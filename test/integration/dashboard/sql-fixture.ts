/**
 * What the SQL tab's tests share (the API's integration test and the browser test): the Flink
 * cluster's settings and REST address, a job's state there, and a prefix's paid_orders holding a
 * few orders on the stack with Flink.
 */
import { loadSettings } from '../../../common/config.ts';
import { sqlSettings } from '../../../flink/settings.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { stackUp } from '../../../stack/stack.ts';
import { flinkEnv } from '../flink/split-fixture.ts';
import { createTopics } from '../helpers.ts';
import { inputProducer } from '../processors/pipeline.ts';

export const flinkSql = loadSettings(sqlSettings, flinkEnv);
export const flinkRest = `http://127.0.0.1:${flinkSql.flinkRestPort}`;

/** The state of Flink job `jid` (RUNNING, CANCELED, ...). */
export async function jobState(jid: string): Promise<string> {
  const res = await fetch(`${flinkRest}/jobs/${jid}`, { signal: AbortSignal.timeout(5000) });
  return ((await res.json()) as { state: string }).state;
}

/** Starts the stack with Flink, creates `prefix`'s topics and writes `orders` to its paid_orders. */
export async function paidOrdersOnFlink(prefix: string, orders: Order[], partitions?: number): Promise<void> {
  await stackUp(() => undefined, flinkEnv);
  await createTopics(prefix, partitions);
  const input = await inputProducer(prefix);
  try {
    await input.sendRaw(
      `${prefix}paid_orders`,
      orders.map((o) => ({ key: o.order_id, value: input.encoder.encode(o) })),
    );
  } finally {
    await input.close();
  }
}
