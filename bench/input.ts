/**
 * The benchmark's fixed input, built once per invocation from a seed: the generator's orders and,
 * through the stages' own pure handlers and the pure split, every later form of them, already
 * encoded in the Confluent wire format. Each system under test is then fed exactly the bytes its
 * real upstream would have written, and each baseline moves the same bytes.
 */
import { AvroSerde, readSchema, type Encoder } from '../common/serde.ts';
import { makeConfig } from '../simulation/config.ts';
import { generateOrders } from '../simulation/model/generator.ts';
import { PROFILES } from '../processors/profiles.ts';
import type { Output, SourceRecord } from '../runtime/types.ts';
import { orderStageHandler } from '../processors/stages.ts';
import { split } from '../splitter/split.ts';
import { TOPICS, valueSubject } from '../schemas/topics.ts';
import type { Customers, Order, OrderItems, Orders, Stage } from '../schemas/types.generated.ts';

export interface Message {
  key: string;
  value: Buffer;
}

/** Fixed first order time: the same seed gives the same orders on every run of the benchmark. */
export const INPUT_FROM = Date.UTC(2024, 0, 1);

export interface StageInput {
  /** Input records of the stage. */
  input: Message[];
  /** Outputs to the stage's success topic and to failed_orders. */
  next: Message[];
  failed: Message[];
}

export interface BenchInput {
  seed: number;
  orders: number;
  /** Order lines over all orders. */
  items: number;
  stages: Record<Stage, StageInput>;
  /** Splitter input: finished_orders and failed_orders. */
  finished: Message[];
  failed: Message[];
  /** Split topics as the splitter writes them. */
  split: { orders: Message[]; customers: Message[]; orderItems: Message[] };
  /** Order lines of each split order, in split order: split.orderItems holds them contiguously. */
  itemsPerSplitOrder: number[];
  /** The rows the landing tables end up with (customers: the newest version of each). */
  rows: { orders: Orders[]; customers: Customers[]; orderItems: OrderItems[] };
  schemaIds: { order: number; orders: number; customers: number; orderItems: number };
  /** Mean encoded order size, bytes. */
  meanOrderBytes: number;
}

/** Registry subjects the benchmark encodes under (content ids are shared with every prefix's subjects). */
export const BENCH_SUBJECT_PREFIX = 'orderflow_bench_';

export async function encoders(registryUrl: string): Promise<{
  order: Encoder<Order>;
  orders: Encoder<Orders>;
  customers: Encoder<Customers>;
  orderItems: Encoder<OrderItems>;
}> {
  const serde = new AvroSerde(registryUrl);
  const subject = (name: string) => valueSubject(BENCH_SUBJECT_PREFIX + name);
  return {
    order: await serde.writer<Order>(subject('order'), readSchema(TOPICS.unpaid.schema)),
    orders: await serde.writer<Orders>(subject('orders'), readSchema(TOPICS.orders.schema)),
    customers: await serde.writer<Customers>(subject('customers'), readSchema(TOPICS.customers.schema)),
    orderItems: await serde.writer<OrderItems>(subject('order_items'), readSchema(TOPICS.orderItems.schema)),
  };
}

/** The generator's orders for a seed (deterministic; no clock involved). */
export function* benchOrders(seed: number, count: number): Generator<Order> {
  yield* generateOrders(makeConfig({ seed, from: INPUT_FROM, until: Infinity, count }), {
    now: () => INPUT_FROM,
  });
}

const NO_SOURCE: SourceRecord = { topic: '', partition: 0, offset: '0', key: null, timestamp: '0' };

/**
 * Build the input for `count` orders: the generator's for `seed` unless `orders` are given (`count`
 * of them). `full` = false encodes only those orders (for the produce-side systems), skipping the
 * stages and the split.
 */
export async function buildInput(
  registryUrl: string,
  seed: number,
  count: number,
  full = true,
  orders: Iterable<Order> = benchOrders(seed, count),
): Promise<BenchInput> {
  const enc = await encoders(registryUrl);
  const next = { topic: 'next', encoder: enc.order };
  const failedSink = { topic: 'failed', encoder: enc.order };
  // A store order is paid at the till and goes from payment straight to finished_orders.
  const tillSink = { topic: 'finished', encoder: enc.order };
  const handlers = {
    payment: orderStageHandler('payment', seed, PROFILES.default, {
      next,
      failed: failedSink,
      finished: tillSink,
    }),
    shipping: orderStageHandler('shipping', seed, PROFILES.default, { next, failed: failedSink }),
    delivery: orderStageHandler('delivery', seed, PROFILES.default, { next, failed: failedSink }),
  };
  const stages: Record<Stage, StageInput> = {
    payment: { input: [], next: [], failed: [] },
    shipping: { input: [], next: [], failed: [] },
    delivery: { input: [], next: [], failed: [] },
  };
  const finished: Message[] = [];
  const failed: Message[] = [];
  const splitMsgs = { orders: [] as Message[], customers: [] as Message[], orderItems: [] as Message[] };
  const orderRows: Orders[] = [];
  const itemRows: OrderItems[] = [];
  const itemsPerSplitOrder: number[] = [];
  const newestCustomer = new Map<string, Customers>();
  let items = 0;
  let bytes = 0;

  const land = (order: Order, into: Message[]): void => {
    into.push({ key: order.order_id, value: enc.order.encode(order) });
    const s = split(order);
    splitMsgs.orders.push({ key: s.orders[0], value: enc.orders.encode(s.orders[1]) });
    splitMsgs.customers.push({ key: s.customers[0], value: enc.customers.encode(s.customers[1]) });
    for (const [key, row] of s.orderItems) {
      splitMsgs.orderItems.push({ key, value: enc.orderItems.encode(row) });
      itemRows.push(row);
    }
    itemsPerSplitOrder.push(s.orderItems.length);
    orderRows.push(s.orders[1]);
    const known = newestCustomer.get(s.customers[0]);
    if (!known || (known.as_of ?? 0) <= (s.customers[1].as_of ?? 0))
      newestCustomer.set(s.customers[0], s.customers[1]);
  };

  const run = (stage: Stage, order: Order): Order | undefined => {
    const [out] = handlers[stage](order, NO_SOURCE) as [Output];
    const value = out.value as Order;
    const message = { key: value.order_id, value: enc.order.encode(value) };
    if (out.sink.topic === 'failed') {
      stages[stage].failed.push(message);
      land(value, failed);
      return undefined;
    }
    if (out.sink.topic === 'finished') {
      stages[stage].next.push(message);
      land(value, finished);
      return undefined;
    }
    stages[stage].next.push(message);
    return value;
  };

  for (const order of orders) {
    const encoded = enc.order.encode(order);
    bytes += encoded.length;
    items += order.item_info.length;
    stages.payment.input.push({ key: order.order_id, value: encoded });
    if (!full) continue;
    const paid = run('payment', order);
    if (!paid) continue;
    stages.shipping.input.push(stages.payment.next[stages.payment.next.length - 1]!);
    const shipped = run('shipping', paid);
    if (!shipped) continue;
    stages.delivery.input.push(stages.shipping.next[stages.shipping.next.length - 1]!);
    const delivered = run('delivery', shipped);
    if (delivered) land(delivered, finished);
  }

  return {
    seed,
    orders: count,
    items,
    stages,
    finished,
    failed,
    split: splitMsgs,
    itemsPerSplitOrder,
    rows: { orders: orderRows, customers: [...newestCustomer.values()], orderItems: itemRows },
    schemaIds: {
      order: enc.order.schemaId,
      orders: enc.orders.schemaId,
      customers: enc.customers.schemaId,
      orderItems: enc.orderItems.schemaId,
    },
    meanOrderBytes: count > 0 ? Math.round(bytes / count) : 0,
  };
}

/** Rows the landing tables hold once everything landed. */
export function landedRows(input: BenchInput): { orders: number; customers: number; orderItems: number } {
  return {
    orders: input.rows.orders.length,
    customers: input.rows.customers.length,
    orderItems: input.rows.orderItems.length,
  };
}
