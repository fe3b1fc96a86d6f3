/**
 * The support report loader: downloads each `customer_support_data_YYYY-MM-DD.csv` as it appears on
 * the FTP server, cleans it (support/clean.ts), loads dim_support_ticket and
 * fact_support_ticket_event, applies the 7-day rule, and records the report in
 * support_report_load, all in one transaction: a restart loads nothing twice. A line it cannot
 * read goes to the dead letters (support_dead_letter, in the same transaction, with the field at
 * fault) and the rest of the report loads. A file it cannot read at all (header, quoting) is moved
 * to <dir>/rejected/ with a .reason.txt beside it, recorded as rejected and dead-lettered whole; a
 * day with no report is recorded in support_report_gap and logged by name.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { connectWarehouse } from '../common/database.ts';
import { describeError, OrderflowError } from '../common/errors.ts';
import { openFtp, type FtpSession, type FtpSettings } from '../common/ftp-client.ts';
import type { Logger } from '../common/logger.ts';
import { AUTO_CLOSE_MS, cleanReport } from './clean.ts';
import {
  addDays,
  dayStart,
  RECEIPT_DIR,
  receiptPath,
  readReport,
  REPORT_FILE,
  ReportParseError,
  type BadLine,
} from './report.ts';

export interface LoaderOptions {
  databaseUrl: string;
  schema: string;
  ftp: FtpSettings;
  ftpDir: string;
  log: Logger;
}

export interface LoadResult {
  loaded: string[];
  rejected: { day: string; reason: string }[];
  /** Lines of loaded reports that went to the dead letters. */
  deadLetters: ({ day: string } & Omit<BadLine, 'raw'>)[];
  /** Days found missing by this pass. */
  missing: string[];
}

const ORDER_IN_DESCRIPTION = /^Order (\S+):/;

export class SupportLoader {
  private ftp: FtpSession | undefined;
  private db: pg.Client | undefined;
  /** Reports this process has left a receipt for (a restart writes them again, once). */
  private readonly receipted = new Set<string>();
  constructor(private readonly o: LoaderOptions) {}

  private async connect(): Promise<{ ftp: FtpSession; db: pg.Client }> {
    this.db ??= await connectWarehouse(this.o.databaseUrl, this.o.schema);
    if (!this.ftp) {
      this.ftp = await openFtp(this.o.ftp);
      await this.ftp.ensureDir(`${this.o.ftpDir}/rejected`);
      await this.ftp.ensureDir(`${this.o.ftpDir}/${RECEIPT_DIR}`);
    }
    return { ftp: this.ftp, db: this.db };
  }

  /** One pass: load every report on the server that is not loaded yet, oldest first. */
  async loadOnce(): Promise<LoadResult> {
    const { ftp, db } = await this.connect();
    const result: LoadResult = { loaded: [], rejected: [], deadLetters: [], missing: [] };
    const done = new Set(
      (
        await db.query<{ d: string }>(
          "select to_char(report_day, 'YYYY-MM-DD') as d from support_report_load",
        )
      ).rows.map((r) => r.d),
    );
    const listed = (await ftp.list(this.o.ftpDir))
      .map((f) => ({ name: f.name, day: REPORT_FILE.exec(f.name)?.[1] }))
      .filter((f): f is { name: string; day: string } => f.day !== undefined)
      .sort((a, b) => a.day.localeCompare(b.day));
    // Loaded before, by an earlier process that stopped before its receipt: receipt it now.
    for (const file of listed.filter((f) => done.has(f.day) && !this.receipted.has(f.name)))
      await this.receipt(ftp, file.name, 'loaded');
    const files = listed.filter((f) => !done.has(f.day));
    for (const file of files) {
      const path = `${this.o.ftpDir}/${file.name}`;
      let text: string;
      try {
        text = await ftp.download(path);
      } catch (error) {
        // Deleted between the listing and the download (the desk replaced it): the next pass decides.
        this.o.log.warn({ file: file.name, err: describeError(error) }, 'report vanished before download');
        continue;
      }
      try {
        const { missing, bad } = await this.loadReport(db, file.day, file.name, text);
        result.loaded.push(file.day);
        result.missing.push(...missing);
        result.deadLetters.push(...bad.map(({ raw: _raw, ...b }) => ({ day: file.day, ...b })));
        await this.receipt(ftp, file.name, 'loaded');
      } catch (error) {
        if (!(error instanceof ReportParseError)) throw error;
        const reason = error.message;
        await ftp.upload(`${this.o.ftpDir}/rejected/${file.name}.reason.txt`, `${reason}\n`);
        await ftp.rename(path, `${this.o.ftpDir}/rejected/${file.name}`);
        await db.query('begin');
        try {
          await db.query(
            `insert into support_report_load (report_day, file_name, status, reason, dead_letters)
             values ($1, $2, 'rejected', $3, 1) on conflict (report_day) do nothing`,
            [file.day, file.name, reason],
          );
          await db.query(
            `insert into support_dead_letter (file_name, line, report_day, field, reason, raw)
             values ($1, 0, $2, $3, $4, $5) on conflict (file_name, line) do nothing`,
            [file.name, file.day, error.field, reason, text],
          );
          await db.query('commit');
        } catch (failure) {
          await db.query('rollback').catch(() => undefined);
          throw failure;
        }
        await this.receipt(ftp, file.name, 'rejected');
        result.rejected.push({ day: file.day, reason });
        this.o.log.warn(
          { file: file.name, reason, movedTo: `${this.o.ftpDir}/rejected/` },
          'report rejected',
        );
      }
    }
    return result;
  }

  /** Tell the desk this report is in the warehouse (support/report.ts, receipts). */
  private async receipt(ftp: FtpSession, reportFile: string, status: 'loaded' | 'rejected'): Promise<void> {
    await ftp.upload(receiptPath(this.o.ftpDir, reportFile), `${status}\n`);
    this.receipted.add(reportFile);
  }

  /**
   * Load one report in one transaction, its unreadable lines to the dead letters; returns the days
   * found missing before it and the lines dead-lettered.
   */
  private async loadReport(
    db: pg.Client,
    day: string,
    fileName: string,
    text: string,
  ): Promise<{ missing: string[]; bad: BadLine[] }> {
    const { rows: parsed, bad } = readReport(text);
    const clean = cleanReport(day, parsed);
    const dayEnd = dayStart(day) + 86_400_000;
    await db.query('begin');
    try {
      // A concurrent loader on the same warehouse waits here, then finds the day loaded.
      await db.query('lock table support_report_load in share row exclusive mode');
      const again = await db.query('select 1 from support_report_load where report_day = $1', [day]);
      if (again.rowCount) {
        await db.query('rollback');
        return { missing: [], bad: [] };
      }
      const last = await db.query<{ d: string | null }>(
        "select to_char(max(report_day), 'YYYY-MM-DD') as d from support_report_load where report_day < $1",
        [day],
      );
      const missing: string[] = [];
      const lastDay = last.rows[0]?.d;
      if (lastDay) for (let d = addDays(lastDay, 1); d < day; d = addDays(d, 1)) missing.push(d);
      if (missing.length > 0) {
        await db.query(
          `insert into support_report_gap (report_day, detected_while_loading) select d, $2 from unnest($1::date[]) d
           on conflict (report_day) do nothing`,
          [missing, day],
        );
        this.o.log.warn({ missing, loading: day }, `support report missing for ${missing.join(', ')}`);
      }
      await db.query('delete from support_report_gap where report_day = $1', [day]);
      const r = clean.rows;
      const ts = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
      await db.query(
        `insert into dim_support_ticket as t (ticket_id, order_id, customer_name, email, phone, category, description,
           created_at, status, resolved_at, first_report_day, last_report_day)
         select id, ord, name, email, phone, cat, descr, created, status, resolved, $12::date, $12::date
           from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                       $8::timestamptz[], $9::text[], $10::timestamptz[], $11::int[])
                as x(id, ord, name, email, phone, cat, descr, created, status, resolved, n)
         on conflict (ticket_id) do update set
           status = case when t.status = 'Closed' then t.status else excluded.status end,
           resolved_at = case when t.status = 'Closed' then t.resolved_at else coalesce(excluded.resolved_at, t.resolved_at) end,
           last_report_day = greatest(t.last_report_day, excluded.last_report_day)`,
        [
          r.map((x) => x.ticket_id),
          r.map((x) => ORDER_IN_DESCRIPTION.exec(x.description)?.[1] ?? null),
          r.map((x) => x.customer_name),
          r.map((x) => x.email),
          r.map((x) => x.phone),
          r.map((x) => x.category),
          r.map((x) => x.description),
          r.map((x) => ts(x.created_at)),
          r.map((x) => x.status),
          r.map((x) => ts(x.resolved_at)),
          r.map((_, i) => i),
          day,
        ],
      );
      await db.query(
        `insert into fact_support_ticket_event (ticket_id, event, event_at, report_day, category)
         select ticket_id, 'opened', created_at, $2::date, category from dim_support_ticket where ticket_id = any($1)
         union all
         select ticket_id, 'resolved', resolved_at, $2::date, category from dim_support_ticket
          where ticket_id = any($1) and status = 'Resolved'
         on conflict (ticket_id, event) do nothing`,
        [r.map((x) => x.ticket_id), day],
      );
      // The 7-day rule: open 7 days after creation, by the end of this report's day: Closed.
      const closed = await db.query<{ ticket_id: string }>(
        `update dim_support_ticket set status = 'Closed', auto_closed = true,
                closed_at = created_at + make_interval(secs => $2::double precision / 1000)
          where status in ('Pending', 'In Progress') and created_at + make_interval(secs => $2::double precision / 1000) <= $1
          returning ticket_id`,
        [new Date(dayEnd).toISOString(), AUTO_CLOSE_MS],
      );
      await db.query(
        `insert into fact_support_ticket_event (ticket_id, event, event_at, report_day, category)
         select ticket_id, 'auto_closed', closed_at, $2::date, category from dim_support_ticket where ticket_id = any($1)
         on conflict (ticket_id, event) do nothing`,
        [closed.rows.map((x) => x.ticket_id), day],
      );
      await db.query(
        `insert into support_dead_letter (file_name, line, report_day, field, reason, raw)
         select $1, line, $2::date, field, reason, raw from unnest($3::int[], $4::text[], $5::text[], $6::text[])
             as x(line, field, reason, raw)
         on conflict (file_name, line) do nothing`,
        [
          fileName,
          day,
          bad.map((b) => b.line),
          bad.map((b) => b.field),
          bad.map((b) => b.reason),
          bad.map((b) => b.raw),
        ],
      );
      await db.query(
        `insert into support_report_load (report_day, file_name, status, rows_in_file, rows_loaded, duplicates_removed,
           statuses_repaired, rule_violations, auto_closed, dead_letters) values ($1, $2, 'loaded', $3, $4, $5, $6, $7, $8, $9)`,
        [
          day,
          fileName,
          parsed.length + bad.length,
          r.length,
          clean.duplicatesRemoved,
          clean.statusesRepaired,
          clean.ruleViolations,
          closed.rowCount ?? 0,
          bad.length,
        ],
      );
      await db.query('commit');
      if (bad.length > 0)
        this.o.log.warn(
          { day, deadLetters: bad.length, lines: bad.slice(0, 5).map((b) => b.reason) },
          `support report ${fileName}: ${bad.length} unreadable line(s) dead-lettered to support_dead_letter`,
        );
      this.o.log.info(
        {
          day,
          rows: r.length,
          duplicates: clean.duplicatesRemoved,
          repaired: clean.statusesRepaired,
          autoClosed: closed.rowCount,
        },
        'report loaded',
      );
      return { missing, bad };
    } catch (error) {
      await db.query('rollback').catch(() => undefined);
      throw error;
    }
  }

  /** Keep loading until `stopping()` says so; FTP or database hiccups are retried. */
  async run(pollMs: number, stopping: () => boolean): Promise<void> {
    let failures = 0;
    while (!stopping()) {
      // After a pass that took a report, look again at once: in a backfill the next one follows it.
      let took = false;
      try {
        const r = await this.loadOnce();
        took = r.loaded.length + r.rejected.length > 0;
        failures = 0;
      } catch (error) {
        // FTP sessions drop (basic-ftp's errors carry no code of ours): retry, up to a streak of 20.
        if (++failures > 20 || (error instanceof OrderflowError && !error.retriable)) throw error;
        this.o.log.warn({ err: describeError(error), failures }, 'loader pass failed, retrying');
        this.ftp?.close();
        this.ftp = undefined;
      }
      if (!took) await sleep(pollMs);
    }
  }

  async close(): Promise<void> {
    this.ftp?.close();
    await this.db?.end().catch(() => undefined);
  }
}
