/**
 * Rendering of benchmark results: the console table and BENCHMARKS.md. Pure: results in, text out.
 */
import { cpuRatio, medianCpu, peakRss, perCpuSecond, processNames } from './cpu-charge.ts';
import { renderSustainedTable, type SustainedResult } from './cpu-account.ts';
import type { LatencyResult } from './latency-command.ts';
import { median } from './stats.ts';
import { fmtRate, fmtRatio, markdownTable, ms, textTable } from './tables.ts';
import type { BenchResult, LatencyRun, SweepResult, SystemResult } from './types.ts';

function systemRow(s: SystemResult): string[] {
  const valid = s.runs.filter((r) => r.valid).length;
  return [
    s.id,
    s.kind,
    fmtRate(s.rate?.median),
    fmtRate(s.rate?.min),
    fmtRate(s.rate?.max),
    s.unit,
    `${valid}/${s.runs.length}`,
    fmtRate(perCpuSecond(s)),
  ];
}

const RESULT_HEADER = ['system', 'kind', 'median', 'min', 'max', 'unit', 'valid runs', 'per CPU-second'];

/** The table `orderflow bench` prints at the end. */
export function renderConsole(result: BenchResult): string {
  const lines = [textTable(RESULT_HEADER, result.systems.map(systemRow)), ''];
  lines.push(
    textTable(
      ['ratio', 'value', 'target', 'met'],
      result.ratios.map((r) => [
        r.name,
        fmtRatio(r.value),
        r.target === undefined ? '' : `>= ${fmtRatio(r.target)}`,
        r.met === null ? '' : r.met ? 'yes' : 'NO',
      ]),
    ),
  );
  for (const l of result.latency) {
    lines.push(
      '',
      `latency at ${fmtRatio(l.fraction)} of max (${fmtRate(l.rate)} orders/s, ${l.orders} orders): ` +
        `generation->finished ${latencyText(l.generationToFinished)}; generation->PostgreSQL ${latencyText(l.generationToPostgres)}`,
    );
  }
  const invalid = result.systems.flatMap((s) =>
    s.runs.filter((r) => !r.valid).map((r) => `${s.id}: ${r.note ?? 'invalid'}`),
  );
  if (invalid.length > 0) lines.push('', 'invalid runs:', ...invalid.map((i) => `  ${i}`));
  return lines.join('\n');
}

function latencyText(l: { p50: number; p95: number; p99: number } | null): string {
  if (!l) return 'n/a';
  return `p50 ${l.p50.toFixed(0)} ms, p95 ${l.p95.toFixed(0)} ms, p99 ${l.p99.toFixed(0)} ms`;
}

function resourcesTable(result: BenchResult): string {
  const rows: string[][] = [];
  for (const s of result.systems) {
    if (s.runs.length === 0) continue;
    const names = processNames(s.runs).filter((n) => {
      const c = medianCpu(s.runs, n);
      return c !== null && c >= 3;
    });
    const cpu = names.map((n) => `${n} ${Math.round(medianCpu(s.runs, n)!)}%`).join(', ');
    const rss = names
      .filter((n) => !['kafka', 'connect', 'registry', 'postgres'].includes(n))
      .map((n) => {
        const peak = peakRss(s.runs, n);
        return `${n} ${peak ? Math.round(peak) : '-'}`;
      })
      .join(', ');
    const loops = s.runs
      .map((r) => r.eventLoopP99Ms)
      .filter((x): x is number => x !== undefined && Number.isFinite(x));
    const loads = s.runs.map((r) => `${r.load[0].toFixed(1)}→${r.load[1].toFixed(1)}`);
    rows.push([
      s.id,
      cpu || '-',
      rss || '-',
      loops.length > 0 ? median(loops).toFixed(0) : '-',
      loads.length > 0 ? `${loads[0]} … ${loads[loads.length - 1]}` : '-',
    ]);
  }
  return markdownTable(
    [
      'system',
      'CPU, % of one core (median of runs)',
      'peak RSS MiB (own processes)',
      'event-loop p99 ms',
      'load 1 min (first … last run)',
    ],
    rows,
    ['l', 'l', 'l', 'r', 'l'],
  );
}

function settingsText(settings: BenchResult['settings']): string {
  const out: string[] = [];
  for (const [group, values] of Object.entries(settings)) {
    const pairs = Object.entries(values).map(([k, v]) => `\`${k}=${String(v)}\``);
    out.push(`- **${group}**: ${pairs.length > 0 ? pairs.join(', ') : '(not used in this run)'}`);
  }
  return out.join('\n');
}

export function renderSweep(sweep: SweepResult): string {
  const rows = sweep.points.map((p) => [
    String(p.value),
    fmtRate(p.rate?.median),
    fmtRate(p.rate?.min),
    fmtRate(p.rate?.max),
    `${p.runs.filter((r) => r.valid).length}/${p.runs.length}`,
    p.runs.length > 0 ? String(median(p.runs.map((r) => Number(r.extra?.recordsPerTransaction ?? 0)))) : '-',
  ]);
  return [
    `Sweep of **${sweep.knob}** on \`${sweep.system}\` (${sweep.orders.toLocaleString('en-US')} orders per run, ${sweep.startedAt}):`,
    '',
    markdownTable(
      ['value', `median ${sweep.unit}`, 'min', 'max', 'valid runs', 'records per transaction'],
      rows,
    ),
  ].join('\n');
}

export interface ReportExtras {
  /** Hand-written analysis (bench/analysis.md), included verbatim. */
  analysis?: string;
  sweeps?: SweepResult[];
  /** The newest sustained run: BENCHMARKS.md leads with it. */
  sustained?: SustainedResult;
  /** The newest `bench latency` run (at fractions of the sustained maximum), beside it. */
  latency?: LatencyResult;
}

/** The leading section: the chain's CPU per order under a sustained backfill, next to its floor. */
export function renderSustainedSection(r: SustainedResult): string[] {
  const v = r.versions as { orderflowCommit?: string };
  return [
    '## The whole chain: CPU per order under a sustained backfill',
    '',
    `Run ${r.startedAt} → ${r.finishedAt} (\`npx orderflow bench sustained --orders ${r.orders}\`): a backfill of ` +
      `${r.orders.toLocaleString('en-US')} orders (seed ${r.seed}, batch size ${r.batchSize}, ${r.partitions} partitions) through every service, ` +
      'started cold, ended when the last order row is committed in PostgreSQL; reconcile must pass. ' +
      'CPU is the delta of utime+stime in /proc/<pid>/stat over the run for every process of the chain ' +
      '(PostgreSQL: the postmaster, its live backends and the ones it reaped). The floor moves the same orders through the same five hops with the raw client and no application logic, ' +
      'in the same invocation, and lands them with COPY. ' +
      `Load average before ${r.loadBefore.map((x) => x.toFixed(2)).join(' / ')}, after ${r.loadAfter.map((x) => x.toFixed(2)).join(' / ')} ` +
      `(1, 5 and 15 minutes); orderflow at ${v.orderflowCommit ?? 'unknown'}.`,
    '',
    ...renderSustainedTable(r),
    '',
  ];
}

/** A latency table (one row per offered load) and how arrival was timed. */
function latencySection(runs: readonly LatencyRun[]): string[] {
  return [
    markdownTable(
      [
        'offered load',
        'orders/s',
        'orders',
        'gen→finished p50',
        'p95',
        'p99',
        'gen→PostgreSQL p50',
        'p95',
        'p99',
        'valid',
      ],
      runs.map((l) => [
        fmtRatio(l.fraction),
        fmtRate(l.rate),
        String(l.orders),
        ms(l.generationToFinished?.p50),
        ms(l.generationToFinished?.p95),
        ms(l.generationToFinished?.p99),
        ms(l.generationToPostgres?.p50),
        ms(l.generationToPostgres?.p95),
        ms(l.generationToPostgres?.p99),
        l.valid ? 'yes' : `no${l.note ? ` (${l.note})` : ''}`,
      ]),
    ),
    '',
    latencyClockNote(runs[0]!),
    '',
  ];
}

/** The chain's latency at fractions of the sustained maximum (`orderflow bench latency`). */
export function renderLatencySection(r: LatencyResult): string[] {
  if (r.runs.length === 0) return [];
  return [
    '## Latency at 50% and 80% of the sustained maximum',
    '',
    `Run ${r.startedAt} → ${r.finishedAt} (\`npx orderflow bench latency\`): orders offered at fixed rates, ` +
      `fractions of ${fmtRate(r.maxRate)} orders/s (${r.maxRateFrom}), through fresh topics, the stages, the splitter and the sink. ` +
      `Load average before ${r.loadBefore.map((x) => x.toFixed(2)).join(' / ')}, after ${r.loadAfter.map((x) => x.toFixed(2)).join(' / ')}.`,
    '',
    ...latencySection(r.runs),
  ];
}

/** BENCHMARKS.md from a result. */
export function renderMarkdown(result: BenchResult, extras: ReportExtras = {}): string {
  const m = result.machine;
  const v = result.versions;
  const o = result.options as Record<string, unknown>;
  const lines: string[] = [];
  lines.push(
    '# Benchmarks',
    '',
    '<!-- Generated by `npx orderflow bench report` from a result in bench/results/ (default latest.json); do not edit by hand: the analysis section comes from bench/analysis.md. -->',
    '',
    ...(extras.sustained ? renderSustainedSection(extras.sustained) : []),
    ...(extras.latency ? renderLatencySection(extras.latency) : []),
    ...(extras.sustained || extras.latency ? ['## Each part against its baseline', ''] : []),
    `Run ${result.startedAt} → ${result.finishedAt}${result.quick ? ' (quick run)' : ''}: ` +
      `${Number(o.orders).toLocaleString('en-US')} orders for the produce side (raw produce, codec, generator), ` +
      `${Number(o.stageOrders ?? o.orders).toLocaleString('en-US')} for the consuming systems (consume, pass-through, stages, splitter), ` +
      `${Number(o.sinkOrders).toLocaleString('en-US')} orders (${Number(o.sinkRows).toLocaleString('en-US')} landed rows) for the sink and the PostgreSQL baselines, ` +
      `${Number(o.e2eOrders).toLocaleString('en-US')} orders per end-to-end run; seed ${String(o.seed)}; ` +
      `${o.warmup ? 'one warm-up, then ' : ''}${String(o.runs)} measured runs (${String(o.e2eRuns)} end-to-end).`,
    '',
    `**Machine:** ${m.cpuModel}, ${m.cores} cores, ${Math.round(m.memoryMiB / 1024)} GiB, ${m.os}. ` +
      `The 1-minute load average is recorded before and after every run (first and last below; all of them in the JSON): ` +
      `on 2 cores, a load well above 2 means something else shared the machine. ` +
      `Load before the whole run ${result.loadBefore.map((x) => x.toFixed(2)).join(' / ')}, after ${result.loadAfter.map((x) => x.toFixed(2)).join(' / ')}.`,
    '',
    `**Versions:** Node ${v.node}, @confluentinc/kafka-javascript ${v.kafkaJavascript} (librdkafka ${v.librdkafka}), ` +
      `Kafka ${v.kafka} (KRaft, single node), PostgreSQL ${v.postgres}, Debezium JDBC sink ${v.debeziumJdbc}, Apicurio converter ${v.apicurioConverter}; orderflow at ${v.orderflowCommit ?? 'unknown'}.`,
    '',
    ...remeasuredNote(o),
    '## Targets',
    '',
    markdownTable(
      ['ratio (medians)', 'wall-clock', 'target', 'met', 'per CPU-second', 'met (per CPU-second)'],
      result.ratios.map((r) => {
        const cpu = cpuRatio(result, r);
        return [
          r.name,
          fmtRatio(r.value),
          r.target === undefined ? '' : `≥ ${fmtRatio(r.target)}`,
          r.met === null ? '' : r.met ? 'yes' : '**no**',
          fmtRatio(cpu),
          r.target === undefined || cpu === null ? '' : cpu >= r.target ? 'yes' : '**no**',
        ];
      }),
    ),
    '',
    'Wall-clock ratios compare medians of runs made minutes apart, whose load can change between them; ' +
      "the per-CPU-second ratios compare records per CPU-second of each side's own processes and are far less moved by anything else running.",
    '',
  );
  const invalid = result.systems.flatMap((s) =>
    s.runs.filter((r) => !r.valid).map((r) => `${s.id}: ${r.note ?? 'invalid'}`),
  );
  lines.push(
    invalid.length === 0
      ? `Zero lost or duplicated records: every measured run passed its exact count check (${result.systems.reduce((n, s) => n + s.runs.length, 0)} runs).`
      : `**Runs that failed their count check or did not complete** (left out of the medians):\n\n${invalid.map((i) => `- ${i}`).join('\n')}`,
    '',
    '## Results',
    '',
    markdownTable(RESULT_HEADER, result.systems.map(systemRow), ['l', 'l', 'r', 'r', 'r', 'l', 'r', 'r']),
    '',
    '### Resources',
    '',
    resourcesTable(result),
    '',
    'CPU is read from /proc/<pid>/stat over each measured run (100% = one core; PostgreSQL includes its backends). ' +
      'Peak RSS is VmHWM from /proc/<pid>/status (the process peak so far; "bench" holds the pre-encoded input). ' +
      'Event-loop p99: for in-process parts perf_hooks.monitorEventLoopDelay over the run; for child stages the highest ' +
      "p99 of prom-client's event-loop histogram over the 100 ms scrapes.",
    '',
  );
  if (result.latency.length > 0) {
    lines.push('## Latency', '', ...latencySection(result.latency));
  }
  if (result.findings.length > 0) {
    lines.push('## Notes on this run', '', ...result.findings.map((f) => `- ${f}`), '');
  }
  if (extras.sweeps && extras.sweeps.length > 0) {
    lines.push('## Sweeps', '');
    for (const s of extras.sweeps) lines.push(renderSweep(s), '');
  }
  if (extras.analysis) lines.push(extras.analysis.trim(), '');
  lines.push('## Method', '');
  lines.push(
    "- Input: the generator's orders for a fixed seed and start date, built once in process; every later form (paid, shipped, finished/failed, split rows) comes from the stages' and the splitter's own pure code, encoded once in the Confluent wire format. Each system is fed the bytes its real upstream would write; each baseline moves the same bytes.",
    '- Every run uses its own topic prefix, consumer groups and PostgreSQL schema; set-up (topics, filling inputs, migrations, starting processes) is not timed, and topics and schemas are deleted after the run.',
    "- Consuming systems are timed from the first commit observed to the last (the first commit's records are left out of the rate, as their start is not observed); producing and in-process systems from the first send to the last acknowledgement.",
    '- Every run ends with an exact count check (committed outputs read back with read_committed: count and distinct keys; landed rows counted); a run that fails it is invalid and left out of the medians.',
    '- Median, min and max are over the valid measured runs; the warm-up is reported in the JSON only.',
    '',
    markdownTable(
      ['system', 'how'],
      result.systems.map((s) => [s.id, s.method]),
      ['l', 'l'],
    ),
    '',
    '## Settings',
    '',
    settingsText(result.settings),
    '',
    'Reproduce: `npx orderflow bench` (full) or `npx orderflow bench --quick`; sizes, runs and systems are flags (`npx orderflow bench --help`); then `npx orderflow bench report`.',
    '',
  );
  return lines.join('\n');
}

/** How generation-to-PostgreSQL was timed: PostgreSQL's own insert stamp, or (older results) a poll. */
export function latencyClockNote(l: LatencyRun): string {
  return l.landedClock === 'database'
    ? 'Generation-to-PostgreSQL ends at the time PostgreSQL stamped on the row as the sink inserted it (clock_timestamp()), so the poll interval does not enter the figure.'
    : `Generation-to-PostgreSQL is measured by polling the orders table every ${l.postgresPollMs} ms, so it carries up to that much extra.`;
}

function remeasuredNote(o: Record<string, unknown>): string[] {
  const list = o.remeasured as { at: string; systems: string[] }[] | undefined;
  if (!list || list.length === 0) return [];
  return list.flatMap((r) => [
    `**Re-measured** in a later run (${r.at}) and taking the place of the first run's figures: ${r.systems.join(', ')}.`,
    '',
  ]);
}
