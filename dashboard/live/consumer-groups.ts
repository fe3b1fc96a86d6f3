/**
 * The consumer groups a stage of the live view reads its lag from. A stage normally has one group
 * named in advance; the split under docker-compose is ksqlDB's persistent queries, whose groups end in
 * a number ksqlDB assigns (`_confluent-ksql-<service id>query_CSAS_LANDED_ORDERS_<n>`), so a name
 * ending in `*` stands for every group that starts with the rest.
 */
export function matchGroups(patterns: readonly string[], listed: readonly string[]): string[] {
  const matched = new Set<string>();
  for (const p of patterns) {
    if (!p.endsWith('*')) matched.add(p);
    else for (const g of listed) if (g.startsWith(p.slice(0, -1))) matched.add(g);
  }
  return [...matched].sort();
}

export const hasWildcard = (patterns: readonly string[]) => patterns.some((p) => p.endsWith('*'));

/**
 * One committed offset per partition from several groups that share a stage's inputs (ksqlDB's
 * split reads finished_orders in one query and failed_orders in another): the furthest any of them
 * has committed, -1 where none has.
 */
export function furthestCommitted(perGroup: readonly ReadonlyMap<number, number>[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const m of perGroup)
    for (const [partition, offset] of m) out.set(partition, Math.max(out.get(partition) ?? -1, offset));
  return out;
}
