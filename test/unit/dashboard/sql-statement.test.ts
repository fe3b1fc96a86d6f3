import { describe, expect, it } from 'vitest';
import { OrderflowError } from '../../../common/errors.ts';
import { readOnlyStatement } from '../../../dashboard/sql/statement.ts';

function refusal(text: string): string {
  try {
    readOnlyStatement(text);
  } catch (error) {
    expect(error).toBeInstanceOf(OrderflowError);
    expect((error as OrderflowError).code).toBe('ORDERFLOW_USAGE');
    return (error as OrderflowError).message;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

describe("the SQL tab's statements", () => {
  // A statement keeps its own comments (Flink counts lines and columns from there).
  it('runs one read-only statement, with where it starts in the box', () => {
    expect(readOnlyStatement('SELECT 1;')).toEqual({ text: 'SELECT 1', line: 1, column: 1 });
    expect(readOnlyStatement('\n  -- top SKUs\n  WITH x AS (SELECT 1) SELECT * FROM x')).toMatchObject({
      line: 2,
      column: 3,
    });
    for (const s of ['show tables', 'DESCRIBE paid_orders', 'EXPLAIN SELECT 1', '(SELECT 1)', 'VALUES (1)'])
      expect(readOnlyStatement(s).text).toBe(s);
  });

  it('refuses writes, DDL, SET and scripts, saying what runs and where the rest goes', () => {
    expect(refusal('INSERT INTO orders SELECT * FROM x')).toMatch(
      /INSERT is not run from the dashboard.*SELECT, WITH.*orderflow sql/,
    );
    expect(refusal('/* c */ CREATE TABLE t (a INT)')).toMatch(/^statement: CREATE/);
    expect(refusal("SET 'a' = 'b'")).toMatch(/SET is not run/);
    expect(refusal('EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; END')).toMatch(/EXECUTE is not run/);
    expect(refusal('SELECT 1; SELECT 2')).toMatch(/2 statements given.*orderflow sql -f/);
    expect(refusal('  -- nothing\n')).toMatch(/empty/);
  });
});
