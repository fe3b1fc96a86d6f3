/** A stage's metrics (common/metrics.ts) and its progress log, updated after each committed batch. */
import { nextOffset, type EachBatchPayload } from '../common/kafka.ts';
import type { Logger } from '../common/logger.ts';
import { stageMetrics } from '../common/metrics.ts';
import type { Chunk } from './chunk.ts';
import type { Pacer } from './pacing.ts';

export class BatchMetrics {
  private batches = 0;
  private lastBatchLog = 0;

  constructor(
    private readonly stage: string,
    private readonly log: Logger,
    private readonly pacer: Pacer | undefined,
  ) {}

  /** Counters for one chunk's records: in, out per topic, failed, dead letters, end-to-end latency. */
  chunk(chunk: Chunk): void {
    const stage = this.stage;
    stageMetrics.recordsIn.inc({ stage }, chunk.records);
    for (const [topic, n] of chunk.outCounts) stageMetrics.recordsOut.inc({ stage, topic }, n);
    if (chunk.failures > 0) stageMetrics.recordsFailed.inc({ stage }, chunk.failures);
    for (const [code, n] of chunk.deadLetters) stageMetrics.recordsDlq.inc({ stage, code }, n);
    if (this.pacer) {
      const now = Date.now();
      for (const origin of chunk.origins) {
        stageMetrics.endToEndSeconds.observe({ stage }, Math.max(0, now - this.pacer.dueAt(origin)) / 1000);
      }
    }
  }

  /** A committed batch: its duration, size and the partition's lag, and a progress line at most once a second. */
  batch(payload: EachBatchPayload, chunk: Chunk, seconds: number): void {
    const { batch } = payload;
    const labels = { stage: this.stage };
    stageMetrics.batchSeconds.observe(labels, seconds);
    stageMetrics.batchSize.observe(labels, chunk.records);
    const lag = Number(BigInt(batch.highWatermark) - BigInt(nextOffset(chunk.lastOffset!)));
    stageMetrics.consumerLag.set(
      { ...labels, topic: batch.topic, partition: String(batch.partition) },
      Math.max(0, lag),
    );
    this.batches++;
    const now = Date.now();
    if (now - this.lastBatchLog >= 1000 || this.log.isLevelEnabled('debug')) {
      this.lastBatchLog = now;
      this.log.info(
        {
          topic: batch.topic,
          partition: batch.partition,
          records: chunk.records,
          lastOffset: chunk.lastOffset,
          highWatermark: batch.highWatermark,
          ms: Math.round(seconds * 1000),
          batches: this.batches,
        },
        'batch committed',
      );
    }
  }
}
