import { describe, expect, it } from 'vitest';
import {
  cpuOverWindow,
  parseStat,
  postgresRole,
  postgresTicks,
  renderSustainedTable,
  totalMicros,
  treeTicks,
  type SustainedResult,
  type SustainedSide,
} from '../../../bench/cpu-account.ts';
import { decodeGroups, encodeGroups } from '../../../bench/message-file.ts';
import { copyBinary } from '../../../bench/pg-copy.ts';
import { renderSustainedSection } from '../../../bench/report.ts';

/** A /proc/<pid>/stat line with the given name, ppid and utime/stime/cutime/cstime. */
function statLine(name: string, ppid: number, utime: number, stime: number, cutime = 0, cstime = 0): string {
  // pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
  return `4242 (${name}) S ${ppid} 4242 4242 0 -1 4194560 100 0 0 0 ${utime} ${stime} ${cutime} ${cstime} 20 0 9 0 1234 5678 90 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n`;
}

describe('parseStat', () => {
  it('reads ppid, own ticks (utime + stime) and reaped children (cutime + cstime)', () => {
    expect(parseStat(statLine('postgres', 1, 120, 30, 400, 50))).toEqual({ ppid: 1, own: 150, reaped: 450 });
  });

  it('counts fields after the last ")": a command name with spaces and parentheses does not shift them', () => {
    expect(parseStat(statLine('node (main) x', 7, 5, 6))).toEqual({ ppid: 7, own: 11, reaped: 0 });
  });

  it('is undefined for a line that is not a stat line', () => {
    expect(parseStat('')).toBeUndefined();
    expect(parseStat('4242 (cut short) S 1 2')).toBeUndefined();
    expect(parseStat('no parentheses at all')).toBeUndefined();
  });
});

describe('treeTicks', () => {
  it("adds the root's own and reaped ticks and each live child's own", () => {
    const root = { ppid: 1, own: 100, reaped: 40 };
    const children = [
      { ppid: 9, own: 10, reaped: 999 }, // a child's own reaped children are not the tree's
      { ppid: 9, own: 5, reaped: 0 },
    ];
    expect(treeTicks(root, children)).toBe(155);
  });

  it('counts a child once when it exits between two readings (live, then reaped by the root)', () => {
    const before = treeTicks({ ppid: 1, own: 100, reaped: 0 }, [{ ppid: 9, own: 30, reaped: 0 }]);
    const after = treeTicks({ ppid: 1, own: 100, reaped: 50 }, []);
    expect(after - before).toBe(20); // the child's 20 ticks after the first reading
  });
});

describe("PostgreSQL's children by role", () => {
  it('tells client backends, autovacuum and background processes apart by their process title', () => {
    expect(postgresRole('postgres: orderflow orderflow 127.0.0.1(51234) idle\0')).toBe('backends');
    expect(postgresRole('postgres: orderflow orderflow [local] COPY\0')).toBe('backends');
    expect(postgresRole('postgres: autovacuum worker orderflow\0')).toBe('autovacuum');
    expect(postgresRole('postgres: autovacuum launcher\0')).toBe('autovacuum');
    expect(postgresRole('postgres: checkpointer \0')).toBe('background');
    expect(postgresRole('postgres: walwriter \0')).toBe('background');
  });

  it("splits the tree's ticks: backends, autovacuum, the postmaster with background, exited children", () => {
    const t = (own: number) => ({ ppid: 1, own, reaped: 0 });
    const readings = postgresTicks({ ppid: 1, own: 7, reaped: 90 }, [
      { times: t(100), cmdline: 'postgres: orderflow orderflow 127.0.0.1(1) idle' },
      { times: t(50), cmdline: 'postgres: orderflow orderflow 127.0.0.1(2) idle' },
      { times: t(20), cmdline: 'postgres: autovacuum worker orderflow' },
      { times: t(3), cmdline: 'postgres: checkpointer' },
    ]);
    expect(readings).toEqual([
      { name: 'postgres backends', ticks: 150 },
      { name: 'postgres autovacuum', ticks: 20 },
      { name: 'postgres background', ticks: 10 },
      { name: 'postgres exited children', ticks: 90 },
    ]);
  });
});

describe('cpuOverWindow', () => {
  it('gives each process its CPU seconds, CPU-µs per order and % of one core over the window', () => {
    const cpu = cpuOverWindow(
      [
        { name: 'kafka', ticks: 1000 },
        { name: 'payment', ticks: 50 },
      ],
      [
        { name: 'kafka', ticks: 1400 },
        { name: 'payment', ticks: 250 },
      ],
      10_000,
      8,
    );
    expect(cpu).toEqual([
      { name: 'kafka', cpuSeconds: 4, microsPerOrder: 400, cpuPercent: 50 },
      { name: 'payment', cpuSeconds: 2, microsPerOrder: 200, cpuPercent: 25 },
    ]);
    expect(totalMicros(cpu, 10_000)).toBe(600);
  });

  it('counts a process that started in the window from zero, leaves out one it cannot read and sums a name', () => {
    const cpu = cpuOverWindow(
      [{ name: 'gone', ticks: 10 }],
      [
        { name: 'late', ticks: 30 },
        { name: 'stage', ticks: 20 },
        { name: 'stage', ticks: 30 },
      ],
      1000,
      1,
    );
    expect(cpu.map((p) => [p.name, p.microsPerOrder])).toEqual([
      ['late', 300],
      ['stage', 500],
    ]);
  });

  it('never reports negative CPU (a pid reused between readings)', () => {
    expect(cpuOverWindow([{ name: 'x', ticks: 500 }], [{ name: 'x', ticks: 20 }], 10, 1)[0]!.cpuSeconds).toBe(
      0,
    );
  });
});

function side(over: Partial<SustainedSide>): SustainedSide {
  return {
    orders: 100_000,
    seconds: 50,
    ordersPerSecond: 2000,
    processes: [],
    totalMicrosPerOrder: 0,
    rowsPerOrder: 4.5,
    valid: true,
    load: [1.2, 1.5],
    ...over,
  };
}

describe('renderSustainedTable', () => {
  const chainProcesses = [
    { name: 'splitter', cpuSeconds: 10, microsPerOrder: 100, cpuPercent: 20 },
    { name: 'postgres', cpuSeconds: 30, microsPerOrder: 300, cpuPercent: 60 },
  ];
  const r: SustainedResult = {
    kind: 'sustained',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:05:00.000Z',
    orders: 100_000,
    seed: 1,
    batchSize: 1000,
    partitions: 6,
    chain: side({ processes: chainProcesses, totalMicrosPerOrder: 400 }),
    floor: side({
      seconds: 20,
      ordersPerSecond: 5000,
      processes: [{ name: 'kafka', cpuSeconds: 20, microsPerOrder: 200, cpuPercent: 100 }],
      totalMicrosPerOrder: 200,
      rowsPerOrder: 4.9,
      valid: false,
      note: 'landed 1/2/3',
    }),
    ratio: 2,
    loadBefore: [1, 1, 1],
    loadAfter: [2, 2, 2],
    machine: {},
    versions: {},
  };
  const text = renderSustainedTable(r).join('\n');

  it('lists every process of each run, the largest first, then the total', () => {
    expect(text).toContain(
      '| chain | postgres | 300 | 60% | 30.00 |\n| chain | splitter | 100 | 20% | 10.00 |\n| chain | **total** | **400** | 80% | 40.00 |',
    );
    expect(text).toContain('| floor | kafka | 200 | 100% | 20.00 |');
  });

  it('gives orders/s, CPU-µs per order, rows per order, validity and the load of each run, and the ratio', () => {
    expect(text).toContain('| chain | 100,000 | 50.0 | 2,000 | 400 | 4.50 | yes | 1.2 → 1.5 |');
    expect(text).toContain(
      '| floor | 100,000 | 20.0 | 5,000 | 200 | 4.90 | **no** (landed 1/2/3) | 1.2 → 1.5 |',
    );
    expect(text).toContain('Chain / floor CPU per order: **2.00x**');
  });

  it("leads BENCHMARKS.md's sustained section with the run, the method, the load and the table", () => {
    const md = renderSustainedSection(r).join('\n');
    expect(md).toMatch(/^## The whole chain: CPU per order under a sustained backfill/);
    expect(md).toContain('`npx orderflow bench sustained --orders 100000`');
    expect(md).toContain('Load average before 1.00 / 1.00 / 1.00, after 2.00 / 2.00 / 2.00');
    expect(md).toContain('| chain | **total** | **400** |');
  });

  it('has no floor rows and no ratio without a floor', () => {
    const alone = renderSustainedTable({ ...r, floor: null, ratio: null }).join('\n');
    expect(alone).not.toContain('| floor |');
    expect(alone).not.toContain('Chain / floor');
  });
});

describe('the floor file and COPY binary', () => {
  it('round-trips groups of records with their topic, key and bytes', () => {
    const groups = [
      { key: 'o1', records: [{ topic: 0, key: 'o1', value: Buffer.from([1, 2, 3]) }] },
      {
        key: 'ø2',
        records: [
          { topic: 1, key: 'c9', value: Buffer.alloc(0) },
          { topic: 2, key: 'i1', value: Buffer.from('x'.repeat(70_000)) },
        ],
      },
    ];
    expect(decodeGroups(encodeGroups(groups))).toEqual(groups);
  });

  it('writes the PGCOPY header, one two-field tuple per row and the trailer', () => {
    const body = copyBinary([{ key: 'ab', value: Buffer.from([255]) }]);
    expect(body.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
    expect(body.readInt32BE(11)).toBe(0); // flags
    expect(body.readInt32BE(15)).toBe(0); // header extension
    expect(body.readInt16BE(19)).toBe(2); // fields
    expect(body.readInt32BE(21)).toBe(2);
    expect(body.subarray(25, 27).toString()).toBe('ab');
    expect(body.readInt32BE(27)).toBe(1);
    expect(body[31]).toBe(255);
    expect(body.readInt16BE(32)).toBe(-1);
    expect(body.length).toBe(34);
  });
});
