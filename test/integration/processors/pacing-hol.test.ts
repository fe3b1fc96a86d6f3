import { describe, expect, it } from 'vitest';
import { counterValue, stageMetrics } from '../../../common/metrics.ts';
import { DAY } from '../../../processors/event-time.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import {
  decodeOrder,
  dueAtSpeed,
  paymentEventTime,
  readTopics,
  sampleOrders,
  total,
  type TestRecord,
  testPipeline,
  PAYMENT_OUTPUTS,
} from './pipeline.ts';

const SPEED = 100_000; // one real second = ~28 simulated hours
const FAR_MS = 15_000; // the far order is placed 15 real seconds after the anchor

describe('payment stage: live pacing without head-of-line blocking', () => {
  const pipe = testPipeline('hol');

  it('emits the orders behind a far-future order at once, and the far one only when it is due', async () => {
    await pipe.createTopics(1); // one partition: every order queues behind the first
    const anchor = Date.now();
    const [farSample, ...rest] = sampleOrders(6, 83);
    // The far order is placed in the simulated future; the others long before the anchor (due now).
    const far: Order = { ...farSample!, order_date: anchor + FAR_MS * SPEED };
    const near: Order[] = rest.map((o, i) => ({ ...o, order_date: anchor - 30 * DAY + i * 60_000 }));
    const encoder = await pipe.send([far, ...near]); // in this order, in the one partition

    const stage = await pipe.startStage('payment', { speed: SPEED, anchor: String(anchor) });
    const outputs = pipe.topics(...PAYMENT_OUTPUTS);
    const orderOf = (r: TestRecord) => decodeOrder(encoder, r.value);

    const first = await readTopics(outputs, (r) => total(r) >= near.length, {
      timeoutMs: 60_000,
      settleMs: 500,
    });
    const firstIds = [...first.values()].flat().map((r) => orderOf(r).order_id);
    expect(firstIds).toEqual(expect.arrayContaining(near.map((o) => o.order_id)));

    const all = await readTopics(outputs, (r) => total(r) > near.length, {
      timeoutMs: 90_000,
      settleMs: 1000,
    });
    const records = [...all.values()].flat();
    expect(records).toHaveLength(near.length + 1);
    const farRecord = records.find((r) => orderOf(r).order_id === far.order_id)!;
    const farDue = dueAtSpeed(paymentEventTime(orderOf(farRecord)), anchor, SPEED);
    expect(farDue).toBeGreaterThanOrEqual(anchor + FAR_MS);
    // Never early: the far output's create time is not before its due time...
    expect(farRecord.timestamp).toBeGreaterThanOrEqual(Math.floor(farDue));
    // ...and the orders behind it did not wait for it (they were written before it was due).
    for (const r of records) if (r !== farRecord) expect(r.timestamp).toBeLessThan(farDue);
    expect(await counterValue(stageMetrics.pendingReleased, { stage: 'payment' })).toBeGreaterThanOrEqual(1);
    expect(stage.runtime.pendingRecords).toBe(0);
  });
});
