/**
 * The lag of the shop database's change stream (Debezium source -> Kafka -> JDBC sink -> warehouse),
 * worked out from landed rows alone (pure): for each row the warehouse stamps when it landed
 * (`landed_at`, migration 011) beside the shop's own `updated_at` of the change. The lag of a change
 * is landed - changed; the age of the newest landed change is now - its change time, which keeps
 * growing when the stream stalls while the shop keeps changing, or when the shop is simply quiet.
 */

/** One landed row: its table, when the shop changed it and when it landed (UTC ms). */
export interface CdcLanding {
  table: string;
  changedAt: number;
  landedAt: number;
}

export interface LagFigures {
  /** Changes that landed within the window. */
  changes: number;
  medianMs: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

export interface CdcLag extends LagFigures {
  /** How far back "recent" reaches (ms). */
  windowMs: number;
  /** The newest landed change, and how old its change is now (source time vs now). */
  newest: { table: string; changedAt: number; landedAt: number; ageMs: number } | null;
  tables: ({ table: string } & LagFigures)[];
}

/** The nearest-rank `p` percentile (0 < p <= 1) of ascending `sorted`; null when empty. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

function figures(lags: number[]): LagFigures {
  const sorted = [...lags].sort((a, b) => a - b);
  return {
    changes: sorted.length,
    medianMs: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    maxMs: sorted.at(-1) ?? null,
  };
}

/**
 * The lag figures over the changes that landed in the last `windowMs` before `now`, overall and per
 * table, plus the newest landed change of all `landings` (which may reach further back). A change
 * stamped after it landed (the two clocks disagree) counts as 0 ms.
 */
export function cdcLag(landings: readonly CdcLanding[], now: number, windowMs: number): CdcLag {
  const recent = landings.filter((l) => l.landedAt > now - windowMs && l.landedAt <= now);
  const lag = (l: CdcLanding) => Math.max(0, l.landedAt - l.changedAt);
  const byTable = new Map<string, number[]>();
  for (const l of recent) {
    const list = byTable.get(l.table) ?? [];
    list.push(lag(l));
    byTable.set(l.table, list);
  }
  let newest: CdcLanding | null = null;
  for (const l of landings)
    if (
      !newest ||
      l.changedAt > newest.changedAt ||
      (l.changedAt === newest.changedAt && l.landedAt > newest.landedAt)
    )
      newest = l;
  return {
    windowMs,
    ...figures(recent.map(lag)),
    newest: newest && { ...newest, ageMs: Math.max(0, now - newest.changedAt) },
    tables: [...byTable.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([table, lags]) => ({ table, ...figures(lags) })),
  };
}
