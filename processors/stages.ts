import type { Order, Stage } from '../schemas/types.generated.ts';
import type { TopicKey } from '../schemas/topics.ts';
import { deliverOrder } from './delivery/transform.ts';
import type { StageOutcome } from './outcome.ts';
import { payOrder } from './payment/transform.ts';
import type { StageConfigs } from './profiles.ts';
import { stageRng, type RandomGenerator } from './rng.ts';
import { emit, type RecordHandler, type Sink } from '../runtime/types.ts';
import { shipOrder } from './shipping/transform.ts';

/** One order-lifecycle stage: where it reads, where a successful order goes, and its transform. */
export interface StageDefinition {
  input: TopicKey;
  success: TopicKey;
  failed: TopicKey;
  transform: (order: Order, rng: RandomGenerator, configs: StageConfigs) => StageOutcome;
  /** The event time at which the stage's decision happens (what live pacing waits for). */
  eventTime: (outcome: StageOutcome) => number;
}

/**
 * A stage reading `input` and writing a successful order to `success` (a failed one to `failed`),
 * whose decision happens at `decidedAt` of a successful order, or at the failure's failed_at.
 */
function stageDefinition(
  input: TopicKey,
  success: TopicKey,
  transform: StageDefinition['transform'],
  decidedAt: (order: Order) => number,
): StageDefinition {
  return {
    input,
    success,
    failed: 'failed',
    transform,
    eventTime: (o) => (o.kind === 'next' ? decidedAt(o.order) : o.order.failure!.failed_at),
  };
}

export const STAGES: Record<Stage, StageDefinition> = {
  payment: stageDefinition(
    'unpaid',
    'paid',
    (order, rng, configs) => payOrder(order, rng, configs.payment),
    (order) => order.payment_info.payment_date!,
  ),
  shipping: stageDefinition(
    'paid',
    'shipped',
    (order, rng, configs) => shipOrder(order, rng, configs.shipping),
    (order) => order.shipping_info.shipped_date!,
  ),
  delivery: stageDefinition(
    'shipped',
    'finished',
    (order, rng, configs) => deliverOrder(order, rng, configs.delivery),
    (order) => order.shipping_info.finished_date!,
  ),
};

export const STAGE_NAMES = Object.keys(STAGES) as Stage[];

/**
 * The record handler of an order stage: draw the order's fate from its own seeded generator, and
 * route it to the success or the failed sink, keyed by order_id, released at the stage's event time.
 */
export function orderStageHandler(
  stage: Stage,
  seed: number,
  configs: StageConfigs,
  sinks: { next: Sink<Order>; failed: Sink<Order> },
): RecordHandler<Order> {
  const definition = STAGES[stage];
  return (order) => {
    const outcome = definition.transform(order, stageRng(seed, stage, order.order_id), configs);
    const failure = outcome.kind === 'failed';
    return [
      emit(failure ? sinks.failed : sinks.next, order.order_id, outcome.order, {
        releaseAt: definition.eventTime(outcome),
        originTime: order.order_date,
        failure,
      }),
    ];
  };
}
