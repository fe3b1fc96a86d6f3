import { describe, expect, it } from 'vitest';
import { OrderflowError } from '../../../common/errors.ts';
import { GroupCommit } from '../../../runtime/group-commit.ts';

/** A commit function that records its groups and finishes when the test says so. */
function recorder() {
  const groups: number[][] = [];
  const finish: ((error?: Error) => void)[] = [];
  const commit = (items: number[]) =>
    new Promise<void>((resolve, reject) => {
      groups.push(items);
      finish.push((error) => (error ? reject(error) : resolve()));
    });
  return { groups, finish, commit };
}
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('commits the batches submitted in one turn as one group', async () => {
    const r = recorder();
    const gc = new GroupCommit<number>(r.commit, () => false);
    const done = [1, 2, 3].map((n) => gc.submit(n));
    await turn();
    expect(r.groups).toEqual([[1, 2, 3]]);
    r.finish[0]!();
    await Promise.all(done);
    expect(gc.groupCount).toBe(1);
  });

  it('lets the batches that arrive during a commit share the next one', async () => {
    const r = recorder();
    const gc = new GroupCommit<number>(r.commit, () => false);
    const first = gc.submit(1);
    await turn();
    const later = [2, 3, 4].map((n) => gc.submit(n));
    await turn();
    expect(r.groups).toEqual([[1]]); // the first is still in flight
    r.finish[0]!();
    await first;
    await turn();
    expect(r.groups).toEqual([[1], [2, 3, 4]]);
    r.finish[1]!();
    await Promise.all(later);
    await gc.idle();
    // Nothing queued: a new batch starts a new group of its own.
    const next = gc.submit(5);
    await turn();
    expect(r.groups.at(-1)).toEqual([5]);
    r.finish[2]!();
    await next;
  });

  it("fails every batch of a failed group with the group's error, and goes on with the next", async () => {
    const r = recorder();
    const gc = new GroupCommit<number>(r.commit, () => false);
    const failing = [1, 2].map((n) => gc.submit(n));
    await turn();
    const after = gc.submit(3);
    const fenced = new Error('fenced');
    r.finish[0]!(fenced);
    for (const p of failing) await expect(p).rejects.toBe(fenced);
    await turn();
    expect(r.groups).toEqual([[1, 2], [3]]);
    r.finish[1]!();
    await expect(after).resolves.toBeUndefined();
  });

  it('hands queued batches back uncommitted once the stage is stopping', async () => {
    const r = recorder();
    let stopping = false;
    const gc = new GroupCommit<number>(r.commit, () => stopping);
    const inFlight = gc.submit(1);
    await turn();
    const queued = gc.submit(2);
    stopping = true;
    r.finish[0]!();
    await inFlight; // the transaction in flight finishes
    const error = await queued.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderflowError);
    expect((error as OrderflowError).retriable).toBe(true);
    expect(r.groups).toEqual([[1]]);
    await gc.idle();
  });
});
