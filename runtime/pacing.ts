/**
 * Live pacing: map simulated event time to wall-clock time with a speed factor, and hold outputs
 * until they are due without ever holding the input partition.
 *
 * The simulated clock and the wall clock agree at the anchor instant and the simulated one runs
 * `speed` times faster after it: an event at simulated time e is due at wall time
 * anchor + (e - anchor) / speed. Events before the anchor are due at once.
 *
 * How the runtime holds outputs (the state-store-with-changelog idea of Kafka Streams):
 * - A batch is handled as in backfill. Outputs already due go to their topic; outputs not yet due
 *   go, in the same transaction as the input offsets, to the stage's compacted pending topic
 *   (`<prefix>_orderflow_<stage>_pending`, key = output key, value = encoded output, headers = output
 *   topic, due and event time, source partition/offset; pending partition = input partition). The
 *   input partition keeps flowing: a far-future order holds back nothing but itself.
 * - Each instance keeps the entries of its partitions in memory (pending.ts, by due time). A short
 *   timer releases due entries in one transaction: each output to its topic plus a tombstone for
 *   its pending record, with the input partitions' committed offsets re-sent so that an instance
 *   that lost the partition in a rebalance cannot commit a release. Releases and batches share the
 *   one transactional producer, one transaction at a time.
 * - When a partition is assigned, its pending partition is read from the beginning to the high
 *   watermark (read_committed, latest value per key, tombstones delete) before any of its input is
 *   handled; when it is revoked, its entries are dropped from memory (its next owner restores them).
 *   So after a crash (kill -9) every committed pending entry comes back and is released once.
 * Backfill mode has no pacer, no pending topic and no timer.
 */
export interface PacingOptions {
  /** Simulated seconds per wall second, e.g. 60 = one simulated hour per real minute. */
  speed: number;
  /** Wall-clock instant (UTC ms) at which simulated time equals wall time. */
  anchorMs: number;
  /** How often the release timer looks for due pending outputs (default 200 ms). */
  releaseIntervalMs?: number;
}

export class Pacer {
  constructor(readonly options: PacingOptions) {
    if (!(options.speed > 0)) throw new RangeError(`speed must be positive, got ${options.speed}`);
  }

  /** Wall-clock time (UTC ms) at which an event at simulated time `eventTime` is due. */
  dueAt(eventTime: number): number {
    const { anchorMs, speed } = this.options;
    return eventTime <= anchorMs ? eventTime : anchorMs + (eventTime - anchorMs) / speed;
  }
}
