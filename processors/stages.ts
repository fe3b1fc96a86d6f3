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
  /** Where an order finished at once goes (the payment stage: a store order paid at the till). */
  finished?: TopicKey;
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
  finished?: TopicKey,
): StageDefinition {
  return {
    input,
    success,
    failed: 'failed',
    ...(finished === undefined ? {} : { finished }),
    transform,
    eventTime: (o) =>
      o.kind === 'failed'
        ? o.order.failure!.failed_at
        : o.kind === 'finished'
          ? o.order.shipping_info.finished_date!
          : decidedAt(o.order),
  };
}

export const STAGES: Record<Stage, StageDefinition> = {
  payment: stageDefinition(
    'unpaid',
    'paid',
    (order, rng, configs) => payOrder(order, rng, configs.payment),
    (order) => order.payment_info.payment_date!,
    'finished',
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
 * route it to the success, the failed or (payment) the finished sink, keyed by order_id, released
 * at the stage's event time.
 */
export function orderStageHandler(
  stage: Stage,
  seed: number,
  configs: StageConfigs,
  sinks: { next: Sink<Order>; failed: Sink<Order>; finished?: Sink<Order> },
): RecordHandler<Order> {
  const definition = STAGES[stage];
  return (order) => {
    const outcome = definition.transform(order, stageRng(seed, stage, order.order_id), configs);
    const failure = outcome.kind === 'failed';
    const sink = failure ? sinks.failed : outcome.kind === 'finished' ? sinks.finished : sinks.next;
    if (sink === undefined) throw new Error(`the ${stage} stage has no sink for a finished order`);
    return [
      emit(sink, order.order_id, outcome.order, {
        releaseAt: definition.eventTime(outcome),
        originTime: order.order_date,
        failure,
      }),
    ];
  };
}
