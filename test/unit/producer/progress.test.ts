import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../../simulation/config.ts';
import {
  defaultBackfillFrom,
  modelHash,
  newProgress,
  runKey,
  type RunProgress,
} from '../../../producer/progress.ts';

const NOW = Date.UTC(2026, 10, 21, 12, 34, 56, 789);
const MODEL = modelHash(makeConfig({ seed: 1 }));

function progress(over: Partial<RunProgress>): RunProgress {
  const from = Date.UTC(2024, 0, 1);
  return { ...newProgress(runKey(1, from, 'backfill', MODEL), 1, from, 'backfill'), ...over };
}

describe('generator run identity', () => {
  it('the model hash ignores the window and the seed, and changes with any model parameter', () => {
    expect(modelHash(makeConfig({ seed: 1, from: 1, until: 2, count: 3 }))).toBe(
      modelHash(makeConfig({ seed: 9 })),
    );
    expect(modelHash(makeConfig({ expressShare: 0.5 }))).not.toBe(MODEL);
  });

  it('a run key names seed, first order time, mode and model', () => {
    expect(runKey(7, Date.UTC(2025, 1, 1), 'backfill', 'abc')).toBe(
      'seed=7 from=2025-02-01T00:00:00.000Z mode=backfill model=abc',
    );
  });
});

describe('the default backfill window', () => {
  it('with no earlier run: UTC midnight 24 months before now (the same all day long)', () => {
    expect(defaultBackfillFrom([], 1, MODEL, NOW)).toEqual({ from: Date.UTC(2024, 10, 21), resumed: false });
    expect(defaultBackfillFrom([], 1, MODEL, Date.UTC(2026, 10, 21, 23, 59)).from).toBe(
      Date.UTC(2024, 10, 21),
    );
  });

  it("goes on with the latest backfill of the same seed and model, whatever today's date", () => {
    const older = progress({ updatedAt: '2026-01-01T00:00:00.000Z' });
    const newerFrom = Date.UTC(2024, 5, 1);
    const newer = progress({
      run: runKey(1, newerFrom, 'backfill', MODEL),
      from: new Date(newerFrom).toISOString(),
      updatedAt: '2026-06-01T00:00:00.000Z',
    });
    expect(defaultBackfillFrom([older, newer], 1, MODEL, NOW)).toEqual({ from: newerFrom, resumed: true });
  });

  it('ignores live runs, other seeds and other models', () => {
    const runs = [
      progress({ mode: 'live', run: runKey(1, 0, 'live', MODEL) }),
      progress({ seed: 2, run: runKey(2, 0, 'backfill', MODEL) }),
      progress({ run: runKey(1, 0, 'backfill', 'othermodel') }),
    ];
    expect(defaultBackfillFrom(runs, 1, MODEL, NOW).resumed).toBe(false);
  });
});
