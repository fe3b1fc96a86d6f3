/**
 * Which statements the dashboard's SQL tab runs: one read-only statement (SELECT, WITH ... SELECT,
 * SHOW, DESCRIBE, EXPLAIN). A query starts a Flink job, but one that only reads, is bounded by the
 * tab's row and time limits and is cancelled with the page's Cancel button; INSERT INTO would start
 * a job that writes to the pipeline's topics and outlives the page, and DDL or SET would change a
 * session the tab shares between queries. Those belong in `orderflow sql`. Pure: no I/O.
 */
import { OrderflowError } from '../../common/errors.ts';
import { splitStatements, type Statement } from '../../common/flink-statements.ts';

const READ_ONLY = /^(SELECT|WITH|SHOW|DESCRIBE|DESC|EXPLAIN|VALUES)\b/i;

/**
 * The one statement of `text` (without its trailing `;`, with where it starts in `text`), or a usage
 * error saying what is allowed.
 */
export function readOnlyStatement(text: string): Statement {
  const statements = splitStatements(text);
  if (statements.length === 0)
    throw new OrderflowError(
      'ORDERFLOW_USAGE',
      'statement: empty; type a SELECT, e.g. SELECT * FROM paid_orders',
    );
  if (statements.length > 1)
    throw new OrderflowError(
      'ORDERFLOW_USAGE',
      `statement: ${statements.length} statements given; the SQL tab runs one at a time (scripts: orderflow sql -f)`,
    );
  const code = statements[0]!.text
    .replace(/--[^\n]*/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .trim();
  const first = /^\(*\s*(\w+)/.exec(code)?.[1] ?? '';
  if (!READ_ONLY.test(first))
    throw new OrderflowError(
      'ORDERFLOW_USAGE',
      `statement: ${first.toUpperCase() || 'this statement'} is not run from the dashboard, which runs read-only statements (SELECT, WITH, SHOW, DESCRIBE, EXPLAIN); use orderflow sql for ${first.toUpperCase() || 'it'}`,
    );
  return statements[0]!;
}
