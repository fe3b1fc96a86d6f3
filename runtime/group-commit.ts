/**
 * Group commit: the batches that arrive while a transaction is in flight (the consumer hands over
 * several partitions' batches at once) wait for it and then share the next transaction, instead of
 * each waiting its own turn. At low rates a record no longer queues behind one small transaction
 * per partition; at high rates there are fewer, larger transactions. Each submitter learns whether
 * its batch was committed: all of a group's batches commit together or fail together (and each is
 * then handed back to the consumer, as a failed batch was before).
 */
import { OrderflowError } from '../common/errors.ts';

/**
 * How many partitions' batches the consumer hands over at once (partitionsConsumedConcurrently):
 * the most batches one group can hold. 16 covers the splitter's 2 topics x 6 partitions.
 */
export const CONCURRENT_PARTITIONS = 16;

interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<T> {
  private queue: Waiting<T>[] = [];
  private flushing: Promise<void> | undefined;
  private groups = 0;

  /**
   * @param commit commits one group in one transaction (it throws if the transaction failed)
   * @param stopping once true, queued batches are handed back instead of committed
   */
  constructor(
    private readonly commit: (items: T[]) => Promise<void>,
    private readonly stopping: () => boolean,
  ) {}

  /** Resolves when `item` is committed with its group; rejects with the group's failure. */
  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  /** Groups committed or failed so far. */
  get groupCount(): number {
    return this.groups;
  }

  /** Resolves once nothing is queued or being committed. */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    try {
      // Let the batches the consumer delivers in the same turn of the event loop join this group.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.queue.length > 0) {
        const group = this.queue.splice(0);
        this.groups++;
        if (this.stopping()) {
          const handedBack = new OrderflowError(
            'ORDERFLOW_TRANSACTION_FAILED',
            'the stage is stopping: the batch is handed back uncommitted',
            { retriable: true },
          );
          for (const w of group) w.reject(handedBack);
          continue;
        }
        try {
          await this.commit(group.map((w) => w.item));
        } catch (error) {
          for (const w of group) w.reject(error);
          continue;
        }
        for (const w of group) w.resolve();
      }
    } finally {
      // No await between the empty queue and this line: a submit after it starts a new flush.
      this.flushing = undefined;
    }
  }
}
