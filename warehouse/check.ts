import type pg from 'pg';
import { describeError } from '../common/errors.ts';
import { ASSERTIONS, type Assertion } from './checks.ts';

export interface AssertionResult {
  name: string;
  description: string;
  passed: boolean;
  offending: number;
  /** Set when the assertion's query itself failed (counts as a failure). */
  error?: string;
}

/** Run every assertion; one failing query does not stop the others (each runs in its own savepoint). */
export async function runChecks(
  client: pg.Client,
  assertions: Assertion[] = ASSERTIONS,
): Promise<AssertionResult[]> {
  const results: AssertionResult[] = [];
  await client.query('begin read only');
  try {
    for (const a of assertions) {
      await client.query('savepoint assertion');
      try {
        const { rows } = await client.query<{ offending: string | number }>(a.sql);
        const offending = Number(rows[0]?.offending ?? 0);
        results.push({ name: a.name, description: a.description, passed: offending === 0, offending });
        await client.query('release savepoint assertion');
      } catch (error) {
        await client.query('rollback to savepoint assertion');
        results.push({
          name: a.name,
          description: a.description,
          passed: false,
          offending: -1,
          error: describeError(error),
        });
      }
    }
  } finally {
    await client.query('rollback');
  }
  return results;
}

export function formatResults(results: AssertionResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  const lines = results.map((r) => {
    const status = r.passed ? 'PASS' : 'FAIL';
    const detail = r.error ? `query failed: ${r.error}` : `${r.offending} offending`;
    return `${status}  ${r.name.padEnd(width)}  ${detail}`;
  });
  const failed = results.filter((r) => !r.passed).length;
  lines.push(`${results.length - failed}/${results.length} assertions passed`);
  return lines.join('\n');
}
