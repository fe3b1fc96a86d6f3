/**
 * The Flink SQL split (flink/split.sql, on the stack's Flink cluster) and the TypeScript splitter,
 * each on its own topic prefix, read the same finished and failed orders; their orders, customers
 * and order_items topics must hold the same records: same keys, same decoded values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../../common/config.ts';
import { catalogSession } from '../../../common/flink-session.ts';
import { sqlSettings } from '../../../flink/settings.ts';
import { cancelJob, submitSplit } from '../../../flink/split-job.ts';
import { startSplitter } from '../../../splitter/service.ts';
import { stackUp } from '../../../stack/stack.ts';
import { conn, createTopics, deleteTopics, log, uniquePrefix } from '../helpers.ts';
import { readTopics, total } from '../processors/pipeline.ts';
import {
  decoded,
  expectedRecords,
  flinkEnv,
  landedOrders,
  produceLanded,
  splitTopics,
} from './split-fixture.ts';

describe('the Flink SQL split', () => {
  const tsPrefix = uniquePrefix('fsts');
  const flinkPrefix = uniquePrefix('fsfl');
  const input = landedOrders();
  const expected = expectedRecords(input);
  const lines = expected - 2 * (input.finished.length + input.failed.length);
  let flinkJob: string | undefined;
  const s = { ...loadSettings(sqlSettings, flinkEnv), topicPrefix: flinkPrefix };

  beforeAll(async () => {
    await stackUp(() => undefined, flinkEnv);
    await Promise.all([createTopics(tsPrefix), createTopics(flinkPrefix)]);
  });

  afterAll(async () => {
    if (flinkJob) await cancelJob(`http://127.0.0.1:${s.flinkRestPort}`, flinkJob);
    await Promise.all([deleteTopics(tsPrefix), deleteTopics(flinkPrefix)]);
  });

  it('writes the same keys and values as the TypeScript splitter', async () => {
    await Promise.all([produceLanded(tsPrefix, input), produceLanded(flinkPrefix, input)]);
    const splitter = await startSplitter({
      kafkaBootstrap: conn.kafkaBootstrap,
      registryUrl: conn.registryUrl,
      topicPrefix: tsPrefix,
      instanceId: 'equality',
      batchSize: 100,
      log,
    });
    try {
      const submitted = await submitSplit(s, catalogSession);
      flinkJob = submitted.jobId;
      expect(submitted.submitted).toBe(true);
      const [fromTs, fromFlink] = await Promise.all([
        readTopics(splitTopics(tsPrefix), (r) => total(r) >= expected, { timeoutMs: 90_000 }),
        readTopics(splitTopics(flinkPrefix), (r) => total(r) >= expected, { timeoutMs: 90_000 }),
      ]);
      expect(total(fromTs)).toBe(expected);
      expect(total(fromFlink)).toBe(expected);
      const a = await decoded(tsPrefix, fromTs);
      const b = await decoded(flinkPrefix, fromFlink);
      expect(b.orders).toHaveLength(40);
      expect(b.orderItems).toHaveLength(lines);
      expect(b).toEqual(a);
      // Failed orders carry their failure columns through.
      expect(b.orders!.filter((l) => l.includes('"failure_stage":"payment"'))).toHaveLength(10);
    } finally {
      await splitter.stop();
    }
  });
});
