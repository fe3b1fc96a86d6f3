import { describe, expect, it } from 'vitest';
import { counterValue, stageMetrics } from '../../../common/metrics.ts';
import { checkOrder, describeViolations } from '../../../schemas/invariants.ts';
import { topicName } from '../../../schemas/topics.ts';
import { decodeOrder, readTopics, sampleOrders, total, testPipeline } from './pipeline.ts';

const N = 2000;

describe('order stages: accounting', () => {
  const pipe = testPipeline('acct');
  const { prefix } = pipe;

  it(`turns ${N} unpaid orders into exactly ${N} finished or failed orders, each once and valid`, async () => {
    await pipe.createTopics();
    const orders = sampleOrders(N);
    const encoder = await pipe.send(orders);
    const [payment] = [
      await pipe.startStage('payment', { batchSize: 200 }),
      await pipe.startStage('shipping', { batchSize: 200 }),
      await pipe.startStage('delivery', { batchSize: 200 }),
    ];

    const finished = topicName('finished', prefix);
    const failed = topicName('failed', prefix);
    const records = await readTopics([finished, failed], (r) => total(r) >= N);
    expect(total(records)).toBe(N);

    const ids = new Set<string>();
    // Online orders go through all three stages; a store order is paid at the till and finished there.
    const statuses: Record<string, number> = {};
    let tillSales = 0;
    for (const [topic, list] of records) {
      for (const record of list) {
        const order = decodeOrder(encoder, record.value);
        expect(record.key).toBe(order.order_id);
        ids.add(order.order_id);
        expect(describeViolations(checkOrder(order, topic === finished ? 'finished' : 'failed'))).toBe('');
        if (order.channel === 'store') {
          expect(order.shipping_info.order_status).toBe('DELIVERED');
          tillSales++;
          continue;
        }
        statuses[order.shipping_info.order_status] = (statuses[order.shipping_info.order_status] ?? 0) + 1;
      }
    }
    expect(ids).toEqual(new Set(orders.map((o) => o.order_id)));

    // Default profile, seed 7, N=2000 (about 8% at tills): each online share within 4 points (about 4
    // standard deviations).
    expect(tillSales).toBeGreaterThan(0);
    const online = N - tillSales;
    const share = (s: string) => (statuses[s] ?? 0) / online;
    expect(Math.abs(share('TIMED_OUT') - 0.23)).toBeLessThan(0.04);
    expect(Math.abs(share('DELIVERED') - 0.77 * 0.95 * 0.95)).toBeLessThan(0.04);
    expect(Math.abs(share('CANCELLED') - (0.77 * 0.05 + 0.77 * 0.95 * 0.035))).toBeLessThan(0.04);
    expect(Math.abs(share('RETURNED') - 0.77 * 0.95 * 0.015)).toBeLessThan(0.04);

    // The metrics module saw the same flow.
    expect(await counterValue(stageMetrics.recordsIn, { stage: 'payment' })).toBeGreaterThanOrEqual(N);
    expect(await counterValue(stageMetrics.recordsOut, { stage: 'delivery', topic: finished })).toBe(
      statuses.DELIVERED,
    );
    expect(await counterValue(stageMetrics.recordsOut, { stage: 'payment', topic: finished })).toBe(
      tillSales,
    );
    expect(
      await counterValue(stageMetrics.transactions, { stage: 'payment', outcome: 'committed' }),
    ).toBeGreaterThan(0);

    // Readiness and metrics over HTTP.
    const port = payment.server.port;
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/orderflow_stage_records_in_total\{stage="payment"\} \d+/);
    expect(metrics).toMatch(/orderflow_stage_consumer_lag\{stage="payment",topic="[^"]+",partition="\d"\} 0/);
  });
});
