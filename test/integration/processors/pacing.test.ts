import { describe, expect, it } from 'vitest';
import type { Order } from '../../../schemas/types.generated.ts';
import { decodeOrder, readTopics, sampleOrders, total, testPipeline, PAYMENT_OUTPUTS } from './pipeline.ts';

const N = 40;
const SPEED = 100_000; // 7 simulated days (a payment time-out) = ~6 real seconds
const HOUR = 3_600_000;

describe('payment stage: live pacing', () => {
  const pipe = testPipeline('pace');

  it('never emits an order before its event time is due at the speed factor', async () => {
    await pipe.createTopics();
    const anchor = Date.now() + 2000;
    // Orders placed one simulated hour apart from the anchor on (their whole history shifted).
    const orders: Order[] = sampleOrders(N, 61).map((o, i) => ({ ...o, order_date: anchor + i * HOUR }));
    const encoder = await pipe.send(orders);
    const producedAt = Date.now();

    await pipe.startStage('payment', { speed: SPEED, anchor: String(anchor) });
    const outputs = pipe.topics(...PAYMENT_OUTPUTS);
    const records = await readTopics(outputs, (r) => total(r) >= N, { timeoutMs: 60_000, settleMs: 1000 });
    expect(total(records)).toBe(N);

    const dueAt = (eventTime: number) => anchor + (eventTime - anchor) / SPEED;
    let heldBack = 0;
    for (const list of records.values()) {
      for (const record of list) {
        const order = decodeOrder(encoder, record.value);
        const eventTime = order.failure ? order.failure.failed_at : order.payment_info.payment_date!;
        // Kafka's create timestamp of the output is never earlier than the order's due time.
        expect(record.timestamp).toBeGreaterThanOrEqual(Math.floor(dueAt(eventTime)));
        if (dueAt(eventTime) > producedAt + 1000) heldBack++;
      }
    }
    expect(heldBack).toBeGreaterThan(5); // the check above was not vacuous: many orders had to wait
  });
});
