/**
 * `orderflow sql`: Flink SQL against the local stack's SQL Gateway, with every pipeline topic
 * declared as a table (flink/catalog.sql) before the first statement. Interactive without -e/-f;
 * results print as a table, an unbounded query streaming until Ctrl-C.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { OrderflowError, isOrderflowError } from '../common/errors.ts';
import { addSettingFlags, loadCommandSettings } from '../common/setting-flags.ts';
import { scriptErrorMessage } from '../common/flink-error.ts';
import { splitStatements, type Statement } from '../common/flink-statements.ts';
import type { GatewayClient } from '../common/flink-gateway.ts';
import { catalogSession, type CatalogSession } from '../common/flink-session.ts';
import { ResultTable } from './result-table.ts';
import { sqlSettings } from './settings.ts';
import { activeJob, cancelJob, splitJobName, submitSplit } from './split-job.ts';

/** Set once stdout's reader went away (`| head`): nothing more is written. */
let stdoutClosed = false;
const out = (line: string) => {
  if (!stdoutClosed) process.stdout.write(`${line}\n`);
};

/** Run one statement, printing its result; resolves when the result ends or `signal` aborts. */
async function runStatement(client: GatewayClient, text: string, signal: AbortSignal): Promise<void> {
  let table: ResultTable | undefined;
  let plain = false;
  await client.execute(
    text,
    {
      columns(columns, isQuery) {
        // DDL and SET answer with a single "result" column saying OK.
        plain = !isQuery && columns.length === 1 && columns[0]!.name === 'result';
        if (plain) return;
        table = new ResultTable(columns, isQuery);
        table.header().forEach(out);
      },
      rows(rows) {
        if (plain) return;
        table?.rows(rows).forEach(out);
      },
    },
    signal,
  );
  if (table) table.footer().forEach(out);
  else out('[OK]');
}

/** The error's message, and with -f where it is in the file. */
function located(message: string, stmt: Statement, file: string | undefined): string {
  return file ? scriptErrorMessage(message, stmt, file) : message;
}

/**
 * Run a script's statements one after the other. Ctrl-C (SIGINT), SIGTERM and a closed output pipe
 * (EPIPE: `orderflow sql -e ... | head`, noticed at the next row written) stop the running statement
 * and cancel its Flink job before the command ends, so no query is left running on the cluster; a
 * second signal exits at once.
 */
async function runScript(client: GatewayClient, script: string, file: string | undefined): Promise<void> {
  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130);
    abort.abort();
  };
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stdoutClosed = true;
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  process.stdout.on('error', onStdoutError);
  try {
    for (const stmt of splitStatements(script)) {
      if (abort.signal.aborted) break;
      try {
        await runStatement(client, stmt.text, abort.signal);
      } catch (error) {
        if (
          isOrderflowError(error) &&
          (error.code === 'ORDERFLOW_SQL_FAILED' || error.code === 'ORDERFLOW_TOPIC_MISSING')
        )
          throw new OrderflowError(error.code, located(error.message, stmt, file));
        throw error;
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    // Keep the EPIPE listener while the command finishes (main's own would exit at once).
    if (!stdoutClosed) process.stdout.off('error', onStdoutError);
  }
}

async function interactive(client: CatalogSession): Promise<void> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  out('Flink SQL on the local stack: the pipeline topics are tables (SHOW TABLES;). End a statement with ;');
  out('Ctrl-C stops a running query; Ctrl-C at the prompt or Ctrl-D quits.');
  if (client.missing.length > 0)
    out(
      `Not declared, their topics do not exist yet (\`orderflow topics\` creates them): ${client.missing.map((t) => t.table).join(', ')}`,
    );
  let buffer = '';
  let running: AbortController | undefined;
  let closed = false;
  rl.on('SIGINT', () => {
    if (running) running.abort();
    else rl.close();
  });
  rl.on('close', () => {
    closed = true;
  });
  while (!closed) {
    let line: string;
    try {
      line = await rl.question(buffer ? '        > ' : 'Flink SQL> ');
    } catch {
      break;
    }
    buffer += `${line}\n`;
    if (!buffer.trimEnd().endsWith(';')) continue;
    const statements = splitStatements(buffer);
    buffer = '';
    for (const stmt of statements) {
      running = new AbortController();
      try {
        await runStatement(client, stmt.text, running.signal);
      } catch (error) {
        if (isOrderflowError(error) && error.code === 'ORDERFLOW_FLINK_UNAVAILABLE') throw error;
        out(`[ERROR] ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        running = undefined;
      }
    }
  }
  rl.close();
}

export function register(program: Command): void {
  registerFlink(program);
  const sql = program
    .command('sql')
    .description(
      'Flink SQL on the local stack, every pipeline topic a table: interactive, or -e "statement" / -f file.sql; results as a table, unbounded queries streaming until Ctrl-C',
    )
    .option('-e, --execute <statements>', 'run these statements (separated by ;) and exit')
    .option('-f, --file <file.sql>', 'run the statements of this file and exit')
    .addHelpText(
      'after',
      '\nNeeds Flink: `ORDERFLOW_FLINK=on orderflow stack up` (or `orderflow run`). Tables: flink/catalog.sql;\n' +
        'queries to start from: docs/sql.md. A statement Flink rejects exits 1 with its message (line, column).',
    );
  addSettingFlags(sql, sqlSettings, ['topicPrefix']).action(
    async (opts: { execute?: string; file?: string }, command: Command) => {
      if (opts.execute !== undefined && opts.file !== undefined)
        throw new OrderflowError('ORDERFLOW_USAGE', 'use -e or -f, not both');
      const s = loadCommandSettings(sqlSettings, command);
      const script = opts.file !== undefined ? readScript(opts.file) : opts.execute;
      const client = await catalogSession(s);
      try {
        if (script !== undefined) await runScript(client, script, opts.file);
        else await interactive(client);
      } finally {
        await client.close();
      }
    },
  );
}

function readScript(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new OrderflowError('ORDERFLOW_USAGE', `cannot read ${file}: ${(error as Error).message}`);
  }
}

export function registerFlink(program: Command): void {
  const flink = program
    .command('flink')
    .description('Jobs on the local Flink cluster (ORDERFLOW_FLINK=on): the split in Flink SQL');
  const split = flink
    .command('split')
    .description(
      'submit flink/split.sql: finished_orders + failed_orders into orders, customers and order_items, exactly once (a running split job of the same prefix is left alone)',
    );
  addSettingFlags(split, sqlSettings, ['topicPrefix']).action(async (_opts: unknown, command: Command) => {
    const s = loadCommandSettings(sqlSettings, command);
    const r = await submitSplit(s, catalogSession);
    out(
      `${r.submitted ? 'submitted' : 'already running'}: job ${splitJobName(s.topicPrefix)} ${r.jobId} (http://127.0.0.1:${s.flinkRestPort}/#/job/running/${r.jobId}/overview)`,
    );
  });
  const cancel = flink.command('cancel-split').description('cancel the running split job of this prefix');
  addSettingFlags(cancel, sqlSettings, ['topicPrefix']).action(async (_opts: unknown, command: Command) => {
    const s = loadCommandSettings(sqlSettings, command);
    const rest = `http://127.0.0.1:${s.flinkRestPort}`;
    const job = await activeJob(rest, splitJobName(s.topicPrefix));
    if (!job) {
      out(`no split job running for prefix "${s.topicPrefix}"`);
      return;
    }
    await cancelJob(rest, job.jid);
    out(`cancelled ${job.jid}`);
  });
}
