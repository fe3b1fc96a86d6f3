import type { Order } from '../../../schemas/types.generated.ts';
import type { StageConfigs } from '../../../processors/profiles.ts';
import { stageRng } from '../../../processors/rng.ts';
import { STAGES } from '../../../processors/stages.ts';

/** Run one order through payment, shipping and delivery as the services would; returns the final order. */
export function runChain(order: Order, seed: number, configs: StageConfigs): Order {
  let current = order;
  for (const stage of ['payment', 'shipping', 'delivery'] as const) {
    const outcome = STAGES[stage].transform(current, stageRng(seed, stage, current.order_id), configs);
    current = outcome.order;
    // failed: on failed_orders; finished: a store order paid at the till, straight to finished_orders.
    if (outcome.kind !== 'next') break;
  }
  return current;
}

/** The date ordering every order must keep (docs/design.md section 6), as a list of problems. */
export function dateProblems(o: Order): string[] {
  const problems: string[] = [];
  const chain: [string, number | null][] = [
    ['order_date', o.order_date],
    ['payment_date', o.payment_info.payment_date],
    ['shipped_date', o.shipping_info.shipped_date],
    ['finished_date', o.shipping_info.finished_date],
  ];
  let last: [string, number] | undefined;
  for (const [name, value] of chain) {
    if (value === null) continue;
    if (last && value < last[1]) problems.push(`${name} before ${last[0]}`);
    last = [name, value];
  }
  const { eta } = o.shipping_info;
  const paid = o.payment_info.payment_date;
  if (eta !== null && paid !== null && eta <= paid) problems.push('eta not after payment_date');
  if (o.shipping_info.order_status !== 'PROCESSING' && o.shipping_info.order_status !== 'SHIPPED') {
    if (o.shipping_info.finished_date === null) problems.push('finished without finished_date');
  }
  return problems;
}
