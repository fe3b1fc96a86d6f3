import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  errorPosition,
  flinkErrorMessage,
  inScript,
  scriptErrorMessage,
} from '../../../common/flink-error.ts';
import { splitStatements } from '../../../common/flink-statements.ts';

/** Error bodies as the SQL Gateway (Flink 2.3.0) answered them, stack traces and all. */
const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

describe('flinkErrorMessage', () => {
  it("picks the parser's message out of the gateway's stack trace", () => {
    const message = flinkErrorMessage(fixture('parse-error.json'));
    expect(message).toMatch(
      /^SQL parse failed\. Encountered "x" at line 1, column 16\.\nWas expecting one of:\n/,
    );
    expect(message).not.toMatch(/\sat org\.apache|Caused by/);
  });

  it("picks the validator's message, with its range", () => {
    expect(flinkErrorMessage(fixture('validation-error.json'))).toBe(
      "SQL validation failed. From line 1, column 8 to line 1, column 11: Column 'nope' not found in any table",
    );
  });

  it('falls back to the innermost cause, the plain errors, or the raw body', () => {
    const body = JSON.stringify({
      errors: [
        'java.lang.RuntimeException: outer\nCaused by: java.io.IOException: disk full\n\tat x.y(Z.java:1)',
      ],
    });
    expect(flinkErrorMessage(body)).toBe('disk full');
    expect(
      flinkErrorMessage(JSON.stringify({ errors: ['Internal server error.', 'Session not found'] })),
    ).toBe('Session not found');
    expect(flinkErrorMessage(' <html>bad gateway</html>\n')).toBe('<html>bad gateway</html>');
  });
});

describe('error positions', () => {
  it('reads the first line and column Flink names', () => {
    expect(errorPosition('SQL parse failed. Encountered "x" at line 1, column 16.')).toEqual({
      line: 1,
      column: 16,
    });
    expect(errorPosition('From line 2, column 8 to line 2, column 11: Column')).toEqual({
      line: 2,
      column: 8,
    });
    expect(errorPosition('Table not found')).toBeUndefined();
  });

  it('maps a position in a statement to the script: columns shift on its first line only', () => {
    expect(inScript({ line: 1, column: 8 }, { line: 4, column: 3 })).toEqual({ line: 4, column: 10 });
    expect(inScript({ line: 2, column: 8 }, { line: 4, column: 3 })).toEqual({ line: 5, column: 8 });
  });

  it('says where in the file a failed statement of a script is', () => {
    const [, second] = splitStatements('SELECT 1;\n\n  SELECT nope\n  FROM t;');
    expect(scriptErrorMessage('From line 1, column 8 to line 1, column 11: nope', second!, 'q.sql')).toBe(
      'From line 1, column 8 to line 1, column 11: nope (q.sql:3:10, in the statement at line 3)',
    );
    expect(scriptErrorMessage('Encountered "t" at line 2, column 8.', second!, 'q.sql')).toMatch(
      /\(q\.sql:4:8,/,
    );
    expect(scriptErrorMessage('Table not found', second!, 'q.sql')).toBe(
      'Table not found (statement at line 3 of q.sql)',
    );
  });
});
