/**
 * The storefront service killed with SIGKILL mid-stream, several times, then restarted: every
 * order's session is in cart_events exactly once, and each event's bytes are what the pure model
 * computes for that order (storefront/cart-model.ts), whatever was committed before each kill.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { AvroSerde, readSchema } from '../../../common/serde.ts';
import { dlqTopic, TOPICS, topicName, valueSubject } from '../../../schemas/topics.ts';
import type { CartEvent } from '../../../schemas/types.generated.ts';
import { CartModel } from '../../../storefront/cart-model.ts';
import { conn } from '../helpers.ts';
import { killMidStream, readTopics, sampleOrders, testPipeline, total } from '../processors/pipeline.ts';
import { spawnService, type ServiceRun } from '../services.ts';

const N = 3000;
const KILLS = 3;
const SEED = 23;

describe('storefront service: crash and restart', () => {
  const pipe = testPipeline('sfcrash');
  const { prefix } = pipe;
  const runs: ServiceRun[] = [];
  afterAll(async () => {
    for (const run of runs) {
      if (run.child.exitCode !== null || run.child.signalCode !== null) continue;
      run.child.kill('SIGKILL');
      await run.exit;
    }
  });
  /** The storefront as a child process, exactly as an operator runs it (one stable instance id). */
  const spawnStorefront = () => {
    const run = spawnService([
      'storefront',
      '--topic-prefix',
      prefix,
      '--instance-id',
      'crash-1',
      '--port',
      '0',
      '--batch-size',
      '25',
      '--seed',
      String(SEED),
    ]);
    runs.push(run);
    return run;
  };

  it(`writes every session exactly once, as the model computes it, when killed with SIGKILL ${KILLS} times mid-stream`, async () => {
    const orders = sampleOrders(N, SEED);
    await pipe.load(orders);
    const cartTopic = topicName('cartEvents', prefix);
    const encoder = await new AvroSerde(conn.registryUrl).writer<CartEvent>(
      valueSubject(cartTopic),
      readSchema(TOPICS.cartEvents.schema),
    );
    const model = new CartModel(SEED);
    const expected = new Map<string, Buffer>();
    for (const order of orders)
      for (const e of model.session(order).events) expected.set(`${e.cart_id}/${e.seq}`, encoder.encode(e));

    await killMidStream(spawnStorefront, KILLS, [cartTopic], expected.size);

    const last = spawnStorefront();
    const records = await readTopics([cartTopic], (r) => total(r) >= expected.size, { timeoutMs: 240_000 });
    last.child.kill('SIGTERM');
    expect(await last.exit).toBe(0); // graceful stop

    const written = records.get(cartTopic)!;
    expect(written.length).toBe(expected.size); // none lost, none twice
    const seen = new Set<string>();
    for (const r of written) {
      const event = encoder.type.fromBuffer(r.value!.subarray(5)) as CartEvent;
      const id = `${event.cart_id}/${event.seq}`;
      expect(seen.has(id), id).toBe(false);
      seen.add(id);
      expect(r.key).toBe(event.cart_id);
      expect(r.value!.equals(expected.get(id)!), id).toBe(true);
    }
    expect(seen.size).toBe(expected.size);
    const dead = await readTopics([dlqTopic(topicName('unpaid', prefix))], () => true, {
      settleMs: 1000,
      timeoutMs: 10_000,
    });
    expect(total(dead)).toBe(0);
  });
});
