import { describe, expect, it } from 'vitest';
import { parseMetrics } from '../../../bench/children.ts';
import { csvLine } from '../../../bench/postgres-io.ts';
import { cpuRatio, medianCpu, ownProcesses, perCpuSecond } from '../../../bench/cpu-charge.ts';
import { renderConsole, renderMarkdown, renderSweep } from '../../../bench/report.ts';
import { markdownTable, textTable } from '../../../bench/tables.ts';
import { ratio, summarize } from '../../../bench/stats.ts';
import { computeRatios, mergeResults } from '../../../bench/suite.ts';
import type { BenchResult, LatencyRun, RunSample, SystemResult } from '../../../bench/types.ts';

function sample(rate: number, valid = true, cpu = 50): RunSample {
  return {
    records: 1000,
    seconds: 1000 / rate,
    rate,
    valid,
    ...(valid ? {} : { note: 'outputs hold 999 records' }),
    load: [1.5, 2],
    usage: [
      { name: 'bench', pid: 1, cpuPercent: cpu, peakRssMiB: 300 },
      { name: 'kafka', pid: 2, cpuPercent: 40, peakRssMiB: 900 },
    ],
    eventLoopP99Ms: 12,
  };
}

function system(id: string, kind: 'baseline' | 'system', rates: number[], unit = 'orders/s'): SystemResult {
  const runs = rates.map((r) => sample(r));
  return {
    id,
    kind,
    title: id,
    unit,
    method: `how ${id} is measured`,
    warmup: null,
    runs,
    rate: summarize(rates),
    allValid: true,
  };
}

function result(systems: SystemResult[]): BenchResult {
  return {
    kind: 'bench',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:20:00.000Z',
    quick: false,
    options: {
      orders: 200000,
      stageOrders: 50000,
      sinkOrders: 20000,
      sinkRows: 90000,
      e2eOrders: 10000,
      seed: 1,
      runs: 3,
      e2eRuns: 3,
      warmup: true,
    },
    machine: { cpuModel: 'Test CPU', cores: 2, memoryMiB: 4096, os: 'Linux', hostname: 'h' },
    versions: {
      node: 'v20',
      librdkafka: '2.15.1',
      kafkaJavascript: '1.10.1',
      kafka: '4.3.1',
      postgres: '15',
      debeziumJdbc: '3.6.0.Final',
      apicurioConverter: '2.6.13.Final',
      orderflowCommit: 'abc1234',
    },
    settings: { stageConsumer: { 'js.consumer.max.batch.size': 1000 }, sinkConnector: {} },
    systems,
    ratios: [],
    latency: [],
    findings: [],
    loadBefore: [1, 2, 3],
    loadAfter: [4, 5, 6],
  };
}

describe('computeRatios', () => {
  it('states each target against the baseline measured in the same run', () => {
    const systems = [
      system('passthrough-tx', 'baseline', [3000, 3300, 2700]),
      system('stage-payment', 'system', [2400, 2100, 2250]),
      system('raw-produce', 'baseline', [20_000]),
      system('generator', 'system', [5000]),
      system('copy', 'baseline', [10_000], 'rows/s'),
      system('sink', 'system', [6000], 'rows/s'),
      system('end-to-end', 'system', [300]),
    ];
    const ratios = computeRatios(systems, new Map([['copy', 0.25]]));
    const byName = new Map(ratios.map((r) => [r.name, r]));
    expect(byName.get('payment stage / transactional pass-through')).toMatchObject({
      value: 0.75,
      target: 0.7,
      met: true,
    });
    expect(byName.get('shipping stage / transactional pass-through')).toMatchObject({
      value: null,
      met: null,
    });
    expect(byName.get('generator / raw produce')).toMatchObject({ value: 0.25, met: false });
    expect(byName.get('sink / COPY')).toMatchObject({ value: 0.6, met: true });
    // Slowest baseline in orders/s: COPY at 10 000 rows/s x 0.25 orders per row = 2500 orders/s.
    const e2e = ratios.find((r) => r.name.startsWith('end-to-end'))!;
    expect(e2e.denominator).toBe('copy');
    expect(e2e.value).toBeCloseTo(300 / 2500, 12);
  });
});

describe('mergeResults', () => {
  it('replaces re-measured systems, recomputes the ratios and says what was re-measured', () => {
    const base = result([
      system('passthrough-tx', 'baseline', [1000]),
      system('stage-payment', 'system', [2000]),
    ]);
    const later = result([system('passthrough-tx', 'baseline', [4000])]);
    later.startedAt = '2026-01-01T01:00:00.000Z';
    const merged = mergeResults(base, later);
    expect(merged.systems.map((s) => [s.id, s.rate?.median])).toEqual([
      ['passthrough-tx', 4000],
      ['stage-payment', 2000],
    ]);
    expect(merged.ratios.find((r) => r.name.startsWith('payment'))?.value).toBe(0.5);
    expect(merged.options.remeasured).toEqual([
      { at: '2026-01-01T01:00:00.000Z', systems: ['passthrough-tx'] },
    ]);
    expect(renderMarkdown(merged)).toContain('**Re-measured** in a later run (2026-01-01T01:00:00.000Z)');
  });
});

describe('rendering', () => {
  const systems = [
    system('passthrough-tx', 'baseline', [1000, 1200, 900]),
    system('stage-payment', 'system', [800, 700, 750]),
  ];
  const r = result(systems);
  r.ratios = [
    ratio(
      'payment stage / transactional pass-through',
      { id: 'a', median: 750 },
      { id: 'b', median: 1000 },
      0.7,
    ),
  ];

  it('prints median, min and max per system and the verdict per target', () => {
    const text = renderConsole(r);
    expect(text).toMatch(/passthrough-tx\s+baseline\s+1,000\s+900\s+1,200\s+orders\/s\s+3\/3/);
    expect(text).toMatch(/stage-payment\s+system\s+750\s+700\s+800/);
    expect(text).toMatch(/payment stage \/ transactional pass-through\s+75%\s+>= 70%\s+yes/);
  });

  it('writes BENCHMARKS.md with machine, versions, targets, results, method and the load note', () => {
    const md = renderMarkdown(r, { analysis: '## What limits the slowest stage\n\nEvidence here.' });
    expect(md).toContain('# Benchmarks');
    expect(md).toContain('Test CPU, 2 cores');
    expect(md).toContain('librdkafka 2.15.1');
    expect(md).toContain('Kafka 4.3.1');
    expect(md).toContain('Load before the whole run 1.00 / 2.00 / 3.00, after 4.00 / 5.00 / 6.00');
    expect(md).toContain('| payment stage / transactional pass-through | 75% | ≥ 70% | yes |');
    expect(md).toContain('| stage-payment | system | 750 | 700 | 800 | orders/s | 3/3 |');
    expect(md).toContain('Zero lost or duplicated records');
    expect(md).toContain('## What limits the slowest stage');
    expect(md).toContain('how stage-payment is measured');
  });

  it('leads with the latency at fractions of the sustained maximum when a latency run is given', () => {
    const run: LatencyRun = {
      fraction: 0.5,
      rate: 600,
      orders: 3000,
      generationToFinished: { n: 3000, p50: 210, p95: 400, p99: 650, max: 700 },
      generationToPostgres: { n: 3000, p50: 480, p95: 900, p99: 1_350, max: 1_400 },
      postgresPollMs: 100,
      landedClock: 'database',
      valid: true,
    };
    const md = renderMarkdown(r, {
      latency: {
        kind: 'latency',
        startedAt: '2026-01-01T01:00:00.000Z',
        finishedAt: '2026-01-01T01:02:00.000Z',
        maxRate: 1200,
        maxRateFrom: 'bench/results/sustained-x.json',
        runs: [run],
        loadBefore: [0.5, 0.4, 0.3],
        loadAfter: [1.5, 0.9, 0.5],
      },
    });
    const latency = md.indexOf('## Latency at 50% and 80% of the sustained maximum');
    expect(latency).toBeGreaterThan(0);
    expect(latency).toBeLessThan(md.indexOf('## Each part against its baseline'));
    expect(md).toContain('fractions of 1,200 orders/s (bench/results/sustained-x.json)');
    expect(md).toMatch(
      /\| 50% \| 600 \| 3000 \| 210 ms \| 400 ms \| 650 ms \| 480 ms \| 900 ms \| 1350 ms \| yes \|/,
    );
    expect(renderMarkdown(r)).not.toContain('sustained maximum');
  });

  it('lists invalid runs instead of claiming zero loss', () => {
    const bad = result([
      { ...system('stage-payment', 'system', [800]), runs: [sample(800), sample(0, false)] },
    ]);
    const md = renderMarkdown(bad);
    expect(md).not.toContain('Zero lost or duplicated records');
    expect(md).toContain('stage-payment: outputs hold 999 records');
    expect(renderConsole(bad)).toContain('invalid runs:');
  });

  it('renders a sweep with one row per value', () => {
    const text = renderSweep({
      kind: 'sweep',
      startedAt: 't',
      finishedAt: 't',
      knob: 'batch-size',
      system: 'stage-payment',
      unit: 'orders/s',
      orders: 50000,
      points: [
        { value: 100, rate: summarize([400, 500]), runs: [sample(400), sample(500)] },
        { value: 1000, rate: summarize([900]), runs: [sample(900)] },
      ],
      machine: r.machine,
      versions: r.versions,
      settings: {},
    });
    expect(text).toContain('Sweep of **batch-size**');
    expect(text).toContain('| 100 | 450 | 400 | 500 | 2/2 |');
    expect(text).toContain('| 1000 | 900 | 900 | 900 | 1/1 |');
  });

  it('aligns text tables and escapes pipes in markdown', () => {
    expect(textTable(['a', 'bb'], [['xyz', '1']])).toBe('a    bb\n---  --\nxyz   1');
    expect(markdownTable(['h'], [['a|b']])).toBe('| h |\n| --- |\n| a\\|b |');
  });

  it('charges CPU to the system’s own processes and gives records per CPU-second', () => {
    // bench at 50% of a core: one CPU-second per two wall seconds, so twice the wall-clock rate.
    expect(perCpuSecond(system('codec', 'baseline', [1000, 1200, 900]))).toBe(2000);
    expect(ownProcesses('passthrough-tx', ['bench', 'pass-through', 'kafka'])).toEqual(['pass-through']);
    expect(ownProcesses('stage-payment', ['bench', 'payment #1', 'payment #2', 'kafka'])).toEqual([
      'payment #1',
      'payment #2',
    ]);
    expect(ownProcesses('sink', ['bench', 'kafka', 'connect', 'postgres'])).toEqual(['connect', 'postgres']);
    // The stage's own process is not in these samples: nothing to charge.
    expect(perCpuSecond(system('stage-payment', 'system', [800]))).toBeNull();
  });

  it('recomputes a ratio from records per CPU-second of both sides', () => {
    const both = result([system('raw-produce', 'baseline', [1000]), system('codec', 'baseline', [3000])]);
    const r = ratio('codec / produce', { id: 'codec', median: 3000 }, { id: 'raw-produce', median: 1000 });
    expect(cpuRatio(both, r)).toBe(3);
    expect(cpuRatio(both, ratio('x', { id: 'nothing', median: 1 }, { id: 'codec', median: 1 }))).toBeNull();
  });

  it('takes the median CPU of a process over runs', () => {
    expect(medianCpu([sample(1, true, 10), sample(1, true, 30), sample(1, true, 20)], 'bench')).toBe(20);
    expect(medianCpu([sample(1)], 'nobody')).toBeNull();
  });
});

describe('parseMetrics', () => {
  it('reads committed records, transactions, histogram sums, lag and the event-loop p99 from Prometheus text', () => {
    const text = [
      '# HELP orderflow_stage_records_in_total x',
      'orderflow_stage_records_in_total{stage="payment"} 4000',
      'orderflow_stage_transactions_total{stage="payment",outcome="committed"} 12',
      'orderflow_stage_transactions_total{stage="payment",outcome="aborted"} 1',
      'orderflow_stage_transaction_seconds_bucket{le="0.1",stage="payment"} 11',
      'orderflow_stage_transaction_seconds_sum{stage="payment"} 0.6',
      'orderflow_stage_transaction_seconds_count{stage="payment"} 13',
      'orderflow_stage_batch_seconds_sum{stage="payment"} 1.2',
      'orderflow_stage_batch_seconds_count{stage="payment"} 12',
      'orderflow_stage_consumer_lag{stage="payment",topic="t",partition="0"} 30',
      'orderflow_stage_consumer_lag{stage="payment",topic="t",partition="1"} 12',
      'orderflow_nodejs_eventloop_lag_p99_seconds 0.0215',
    ].join('\n');
    expect(parseMetrics(text)).toEqual({
      recordsIn: 4000,
      transactions: 12,
      eventLoopP99Ms: 21.5,
      transactionSeconds: 0.6,
      transactionCount: 13,
      batchSeconds: 1.2,
      batchCount: 12,
      lag: 42,
    });
  });
});

describe('csvLine', () => {
  it('writes NULL as an empty field, times as ISO UTC, and quotes what needs quoting', () => {
    const line = csvLine(['customer_id', 'customer_name', 'company', 'as_of'], {
      customer_id: 'C1',
      customer_name: 'Cruz, "Ana"',
      company: null,
      as_of: Date.UTC(2024, 0, 2, 3, 4, 5),
    } as never);
    expect(line).toBe('C1,"Cruz, ""Ana""",,2024-01-02T03:04:05.000Z\n');
  });
});
