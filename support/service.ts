/**
 * The support desk simulator: reads finished_orders and failed_orders, opens the tickets customers
 * would (support/tickets.ts), and at each simulated Manila midnight uploads that day's report to the
 * FTP server (support/report.ts), deleting the previous one.
 *
 * Exactly once through PostgreSQL, not a Kafka transaction: a batch's tickets and its input offsets
 * are committed in one database transaction (desk-store.ts), and records below the stored offset
 * are skipped on redelivery. The desk is a database in the story (the daily report is a query over
 * it, by day), so its state lives there; Kafka's committed offset is only a hint, written after.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { describeError, OrderflowError } from '../common/errors.ts';
import { openFtp, type FtpSession, type FtpSettings } from '../common/ftp-client.ts';
import { createKafka } from '../common/kafka.ts';
import type { Logger } from '../common/logger.ts';
import { pipelineNames } from '../common/names.ts';
import { AvroSerde, readSchema } from '../common/serde.ts';
import type { Order } from '../schemas/types.generated.ts';
import { topicName } from '../schemas/topics.ts';
import {
  applyBatch,
  connectDesk,
  firstTicketTime,
  nextReportDay,
  recordReport,
  setCursor,
  ticketsOfDay,
  watermark,
} from './desk-store.ts';
import {
  addDays,
  dayStart,
  manilaDay,
  nextDay,
  RECEIPT_DIR,
  receiptPath,
  REPORT_FILE,
  reportCsv,
  reportFileName,
  reportRows,
  type ReportDirt,
} from './report.ts';
import { DEFAULT_RATES, eventTime, ticketsFor, type TicketRates } from './tickets.ts';

export const SUPPORT_STAGE = 'support';
/** How often the desk looks for the loader's receipt of its newest report. */
const RECEIPT_POLL_MS = 50;

export interface SupportOptions {
  kafkaBootstrap: string;
  registryUrl: string;
  databaseUrl: string;
  deskSchema: string;
  topicPrefix: string;
  partitions: number;
  seed: number;
  batchSize: number;
  instanceId: string;
  ftp: FtpSettings;
  ftpDir: string;
  rates?: Partial<TicketRates>;
  dirt: ReportDirt;
  reportDelayHours: number;
  reportIntervalMs: number;
  log: Logger;
  onFatal?: (error: unknown) => void;
}

export interface SupportDesk {
  stop(): Promise<void>;
  /** Reports uploaded since start. */
  readonly uploaded: string[];
  /** Reports the loader took (its receipt seen) before the desk moved on, since start. */
  readonly receipted: number;
  /** Tickets created on a day whose report was already written (none when the delay is long enough). */
  readonly lateTickets: number;
}

export async function startSupport(o: SupportOptions): Promise<SupportDesk> {
  const log = o.log.child({ stage: SUPPORT_STAGE });
  const rates = { ...DEFAULT_RATES, ...o.rates };
  const db = await connectDesk(o.databaseUrl, o.deskSchema);
  const reportDb = await connectDesk(o.databaseUrl, o.deskSchema);
  const serde = new AvroSerde(o.registryUrl);
  const decoder = serde.reader<Order>(readSchema('order.avsc'));
  const inputTopics = [topicName('finished', o.topicPrefix), topicName('failed', o.topicPrefix)];
  const names = pipelineNames(o.topicPrefix);
  const kafka = createKafka(o.kafkaBootstrap, names.clientId(SUPPORT_STAGE, o.instanceId), o.log);
  const consumer = kafka.consumer({
    'group.id': names.group(SUPPORT_STAGE),
    'enable.auto.commit': false,
    'auto.offset.reset': 'earliest',
    'isolation.level': 'read_committed',
    'partition.assignment.strategy': 'roundrobin',
    'js.consumer.max.batch.size': o.batchSize,
  } as KafkaJS.ConsumerConstructorConfig);
  const state = {
    stopping: false,
    uploaded: [] as string[],
    lateTickets: 0,
    receipted: 0,
    cursorStart: undefined as number | undefined,
  };
  let busy = Promise.resolve();

  const fatal = (error: unknown) => {
    if (state.stopping) return;
    log.error({ err: describeError(error) }, 'support desk failed');
    state.stopping = true;
    o.onFatal?.(error);
  };

  try {
    await consumer.connect();
    await consumer.subscribe({ topics: inputTopics });
  } catch (error) {
    throw new OrderflowError(
      'ORDERFLOW_BROKER_UNAVAILABLE',
      `support desk could not join its group: ${describeError(error)}`,
      {
        cause: error,
        retriable: true,
      },
    );
  }
  await consumer.run({
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 1,
    eachBatch: async ({ batch, resolveOffset }) => {
      if (state.stopping || batch.messages.length === 0) return;
      await decoder.prepare(batch.messages.map((m) => m.value));
      const records = batch.messages.flatMap((m) => {
        try {
          const order = decoder.decode(m.value);
          const tickets = ticketsFor(order, o.seed, rates);
          return [{ offset: m.offset, eventTime: eventTime(order), tickets }];
        } catch (error) {
          // An undecodable record opens no ticket; its offset still advances (the stages dead-letter such records).
          log.warn(
            { topic: batch.topic, partition: batch.partition, offset: m.offset, err: describeError(error) },
            'record skipped',
          );
          return [{ offset: m.offset, eventTime: 0, tickets: [] }];
        }
      });
      const cursorStart = state.cursorStart;
      if (cursorStart !== undefined)
        state.lateTickets += records
          .flatMap((r) => r.tickets)
          .filter((t) => t.created_at < cursorStart).length;
      await applyBatch(db, { topic: batch.topic, partition: batch.partition, records });
      const last = batch.messages.at(-1)!.offset;
      resolveOffset(last);
      await consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
      ]);
    },
  });
  log.info({ topics: inputTopics, schema: o.deskSchema, ftpDir: o.ftpDir }, 'support desk started');

  let ftp: FtpSession | undefined;
  const session = async (): Promise<FtpSession> => {
    if (!ftp) {
      ftp = await openFtp(o.ftp);
      await ftp.ensureDir(`${o.ftpDir}/${RECEIPT_DIR}`);
    }
    return ftp;
  };
  const reportLoop = async () => {
    while (!state.stopping) {
      const wrote = await reportAndWait().catch((error: unknown) => {
        ftp?.close();
        ftp = undefined;
        if (error instanceof OrderflowError && error.retriable) {
          log.warn({ err: describeError(error) }, 'report upload failed, retrying');
          return false;
        }
        throw error;
      });
      if (!wrote) await sleep(500);
    }
  };

  /** Upload the next report if its day is due, then wait for the loader's receipt, up to the interval. */
  const reportAndWait = async (): Promise<boolean> => {
    const file = await reportOnce();
    if (file === undefined) return false;
    const deadline = Date.now() + o.reportIntervalMs;
    const receipts = `${o.ftpDir}/${RECEIPT_DIR}`;
    while (!state.stopping && Date.now() < deadline) {
      if ((await (await session()).list(receipts)).some((f) => f.name === file)) {
        state.receipted++;
        return true;
      }
      await sleep(Math.max(0, Math.min(RECEIPT_POLL_MS, deadline - Date.now())));
    }
    return true;
  };

  /** Write the next day's report if every partition is far enough past its midnight; returns its file name. */
  const reportOnce = async (): Promise<string | undefined> => {
    const w = await watermark(reportDb, inputTopics, o.partitions);
    if (w === undefined) return undefined;
    let day = await nextReportDay(reportDb);
    if (day === undefined) {
      const first = await firstTicketTime(reportDb);
      if (first === undefined) return undefined;
      day = manilaDay(first);
      await setCursor(reportDb, day);
    }
    state.cursorStart = dayStart(day);
    const end = dayStart(day) + 86_400_000;
    if (w < end + o.reportDelayHours * 3_600_000) return undefined;
    const rows = reportRows(day, await ticketsOfDay(reportDb, dayStart(day), end));
    const csv = reportCsv(day, rows, o.dirt, o.seed);
    const name = reportFileName(day);
    const server = await session();
    // Upload under a temporary name and rename, so a reader never sees half a report.
    await server.upload(`${o.ftpDir}/.${name}.part`, csv);
    await server.rename(`${o.ftpDir}/.${name}.part`, `${o.ftpDir}/${name}`);
    const previous = reportFileName(addDays(day, -1));
    const receipts = await server.list(`${o.ftpDir}/${RECEIPT_DIR}`);
    if ((await server.list(o.ftpDir)).some((f) => f.name === previous)) {
      await server.remove(`${o.ftpDir}/${previous}`);
      if (!receipts.some((f) => f.name === previous))
        log.warn(
          { file: previous, waitedMs: o.reportIntervalMs },
          `support report ${previous} deleted without the loader's receipt: is \`orderflow support load\` running? (ORDERFLOW_SUPPORT_REPORT_INTERVAL_MS)`,
        );
    }
    // The receipts of this report's predecessors have done their work.
    for (const f of receipts) {
      const receiptDay = REPORT_FILE.exec(f.name)?.[1];
      if (f.isFile && receiptDay !== undefined && receiptDay < day)
        await server.remove(receiptPath(o.ftpDir, f.name));
    }
    await recordReport(reportDb, day, name, rows.length, nextDay(day));
    state.uploaded.push(day);
    state.cursorStart = dayStart(nextDay(day));
    log.info({ day, rows: rows.length, file: name }, 'report uploaded');
    return name;
  };
  busy = reportLoop().catch(fatal);

  return {
    get uploaded() {
      return state.uploaded;
    },
    get lateTickets() {
      return state.lateTickets;
    },
    get receipted() {
      return state.receipted;
    },
    stop: async () => {
      state.stopping = true;
      await busy;
      await consumer.disconnect();
      ftp?.close();
      await Promise.all([db.end(), reportDb.end()].map((p: Promise<void>) => p.catch(() => undefined)));
      log.info('support desk stopped');
    },
  };
}
