import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../common/config.ts';
import { furthestCommitted, hasWildcard, matchGroups } from '../../../dashboard/live/consumer-groups.ts';
import { dashboardSettings } from '../../../dashboard/settings.ts';
import { parsePrometheusText, total } from '../../../dashboard/live/prometheus-text.ts';
import {
  MARKER_PROBE_MAX,
  RateTracker,
  gapKey,
  gapsToCount,
  lagOf,
  partitionLag,
} from '../../../dashboard/live/rates.ts';

const METRICS = `# HELP orderflow_stage_records_in_total Records consumed and processed by a stage.
# TYPE orderflow_stage_records_in_total counter
orderflow_stage_records_in_total{stage="payment"} 1200
# TYPE orderflow_stage_records_out_total counter
orderflow_stage_records_out_total{stage="payment",topic="paid_orders"} 920
orderflow_stage_records_out_total{stage="payment",topic="failed_orders"} 276
orderflow_stage_records_dlq_total{stage="payment",code="ORDERFLOW_DECODE_FAILED"} 3
orderflow_stage_records_dlq_total{stage="payment",code="ORDERFLOW_INVARIANT_VIOLATED"} 1
orderflow_stage_batch_seconds_bucket{le="+Inf",stage="payment"} 40
orderflow_weird{reason="say \\"hi\\", ok"} 1.5e3
not a metric line
`;

describe('reading the processors /metrics', () => {
  it('sums counters across label sets and filters by labels', () => {
    const samples = parsePrometheusText(METRICS);
    expect(total(samples, 'orderflow_stage_records_in_total')).toBe(1200);
    expect(total(samples, 'orderflow_stage_records_out_total')).toBe(1196);
    expect(total(samples, 'orderflow_stage_records_out_total', { topic: 'failed_orders' })).toBe(276);
    expect(total(samples, 'orderflow_stage_records_dlq_total', { stage: 'payment' })).toBe(4);
    expect(total(samples, 'orderflow_stage_records_dlq_total', { stage: 'shipping' })).toBe(0);
    expect(samples.find((s) => s.name === 'orderflow_weird')).toEqual({
      name: 'orderflow_weird',
      labels: { reason: 'say "hi", ok' },
      value: 1500,
    });
    expect(samples.find((s) => s.name === 'orderflow_stage_batch_seconds_bucket')?.labels.le).toBe('+Inf');
  });
});

describe('rates and lag', () => {
  it('turns successive readings into a per-second rate', () => {
    const rates = new RateTracker();
    expect(rates.update('t', 100, 1_000)).toBeNull();
    expect(rates.update('t', 160, 4_000)).toBe(20);
    expect(rates.update('t', 160, 5_000)).toBe(0);
    // A counter that went backwards (topic recreated) restarts instead of giving a negative rate.
    expect(rates.update('t', 10, 6_000)).toBeNull();
    expect(rates.update('t', 15, 8_000)).toBe(2.5);
    expect(rates.update('other', 1, 8_000)).toBeNull();
  });

  it('lag is end minus committed, or everything retained when nothing was committed', () => {
    expect(partitionLag(500, 0, 480)).toBe(20);
    expect(partitionLag(500, 100, -1)).toBe(400);
    expect(partitionLag(500, 0, 500)).toBe(0);
    // A committed offset past a truncated end never gives negative lag.
    expect(partitionLag(10, 0, 12)).toBe(0);
  });

  it('counts small gaps record by record (they may be transaction markers) and trusts offsets for large ones', () => {
    const gaps = [
      { topic: 't', partition: 0, from: 10, to: 11 }, // one offset: a marker, or one record
      { topic: 't', partition: 1, from: 5, to: 5 }, // caught up
      { topic: 't', partition: 2, from: 0, to: MARKER_PROBE_MAX + 1 }, // too far behind to count
      { topic: 'u', partition: 0, from: 3, to: 3 + MARKER_PROBE_MAX },
    ];
    expect(gapsToCount(gaps).map(gapKey)).toEqual([gapKey(gaps[0]!), gapKey(gaps[3]!)]);
    // Nothing counted: the offsets.
    expect(lagOf(gaps, new Map())).toBe(1 + 0 + (MARKER_PROBE_MAX + 1) + MARKER_PROBE_MAX);
    // Counted: partition 0 held only a marker, u/0 held 4 records among its markers.
    const counted = new Map([
      [gapKey(gaps[0]!), 0],
      [gapKey(gaps[3]!), 4],
    ]);
    expect(lagOf(gaps, counted)).toBe(0 + 0 + (MARKER_PROBE_MAX + 1) + 4);
    expect(gapKey({ topic: 't', partition: 1 })).not.toBe(gapKey({ topic: 't1', partition: 0 }));
  });
});

describe('the consumer groups of a stage', () => {
  const listed = [
    '_confluent-ksql-orderflow_ksql_query_CSAS_LANDED_ORDERS_5',
    '_confluent-ksql-orderflow_ksql_query_INSERTQUERY_6',
    '_confluent-ksql-orderflow_ksql_query_CSAS_orders_7',
    'orderflow-payment',
  ];

  it('takes names as they are and a trailing * as a prefix', () => {
    expect(matchGroups(['orderflow-splitter'], listed)).toEqual(['orderflow-splitter']);
    expect(
      matchGroups(
        [
          '_confluent-ksql-orderflow_ksql_query_CSAS_LANDED_ORDERS_*',
          '_confluent-ksql-orderflow_ksql_query_INSERTQUERY_*',
        ],
        listed,
      ),
    ).toEqual([
      '_confluent-ksql-orderflow_ksql_query_CSAS_LANDED_ORDERS_5',
      '_confluent-ksql-orderflow_ksql_query_INSERTQUERY_6',
    ]);
    expect(matchGroups(['nothing-like-it*'], listed)).toEqual([]);
    expect(hasWildcard(['a', 'b*'])).toBe(true);
    expect(hasWildcard(['a'])).toBe(false);
  });

  it('reads each partition at the furthest offset any group of the stage committed', () => {
    const finished = new Map([
      [0, 40],
      [1, 12],
    ]);
    const failed = new Map([[0, -1]]);
    expect(furthestCommitted([finished, failed])).toEqual(
      new Map([
        [0, 40],
        [1, 12],
      ]),
    );
    expect(furthestCommitted([])).toEqual(new Map());
  });

  it('is a dashboard setting, default the splitter service', () => {
    expect(loadSettings(dashboardSettings, {}).splitGroups).toEqual([]);
    expect(
      loadSettings(dashboardSettings, { ORDERFLOW_DASHBOARD_SPLIT_GROUPS: 'a, b_*' }).splitGroups,
    ).toEqual(['a', 'b_*']);
    expect(() => loadSettings(dashboardSettings, { ORDERFLOW_DASHBOARD_SPLIT_GROUPS: 'a b' })).toThrow(
      /ORDERFLOW_DASHBOARD_SPLIT_GROUPS/,
    );
  });
});
