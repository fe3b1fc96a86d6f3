import { dlqTopic, topicName } from '../../schemas/topics.ts';
import { consumeAll, createTopics, produceAll, type CommitTrace } from '../kafka-io.ts';
import { helperProcess } from './helper-process.ts';
import { perThousand, timeoutFor, traceOutcome, topicSystem } from './system.ts';

/** The splitter service alone, in a process of its own over pre-filled finished and failed orders. */
export const splitterSystem = topicSystem(
  {
    id: 'splitter',
    kind: 'system',
    title: 'splitter alone (finished + failed -> orders, customers, order_items)',
    method:
      'The splitter service (splitter/service.ts) in a process of its own over pre-filled finished_orders and failed_orders: first to last committed batch, then exact counts of orders and order_items.',
  },
  async (ctx, probe, { run, prefix }) => {
    const input = ctx.input;
    const topics = ['finished', 'failed', 'orders', 'customers', 'orderItems'] as const;
    const names = topics.map((t) => topicName(t, prefix));
    await createTopics(ctx.kafka, [...names, dlqTopic(names[0]!), dlqTopic(names[1]!)]);
    await produceAll(ctx.kafka, names[0]!, input.finished);
    await produceAll(ctx.kafka, names[1]!, input.failed);
    const expected = input.finished.length + input.failed.length;
    const { trace, timedOut } = await helperProcess<{ trace: CommitTrace; timedOut: boolean }>(
      'splitter-process.ts',
      {
        bootstrap: ctx.kafka.bootstrap,
        registryUrl: ctx.registryUrl,
        prefix,
        instance: run,
        batchSize: ctx.batchSize,
        expected,
        timeoutMs: timeoutFor(expected, 300),
      },
      'splitter',
      probe,
    );
    const out = traceOutcome(trace, expected, expected, timedOut);
    out.extra = { engineCpuSecondsPer1000Orders: perThousand(probe.cpuSeconds(['splitter']), expected) };
    const orders = await consumeAll(ctx.kafka, [names[2]!], expected, {
      group: `${prefix}check-orders`,
      settleMs: 1000,
      timeoutMs: 120_000,
    });
    const items = await consumeAll(ctx.kafka, [names[4]!], input.items, {
      group: `${prefix}check-items`,
      settleMs: 1000,
      timeoutMs: 120_000,
    });
    if (
      orders.trace.count !== expected ||
      orders.distinct !== expected ||
      items.trace.count !== input.items ||
      items.distinct !== input.items
    ) {
      out.valid = false;
      out.note = `orders ${orders.trace.count} (${orders.distinct} distinct), items ${items.trace.count} (${items.distinct} distinct); expected ${expected} and ${input.items}`;
    }
    return out;
  },
);
