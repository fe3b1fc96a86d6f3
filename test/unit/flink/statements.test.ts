import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../../common/flink-statements.ts';

const texts = (script: string) => splitStatements(script).map((s) => s.text);

describe('splitStatements', () => {
  it('splits at semicolons and keeps a last statement without one', () => {
    expect(texts('SELECT 1; SELECT 2;\nSELECT 3')).toEqual(['SELECT 1', 'SELECT 2', 'SELECT 3']);
  });

  it('does not split inside string literals, doubled quotes included', () => {
    expect(texts("SELECT 'a;b'; SELECT 'it''s; fine', 'x'")).toEqual([
      "SELECT 'a;b'",
      "SELECT 'it''s; fine', 'x'",
    ]);
  });

  it('does not split inside quoted identifiers (backticks and double quotes)', () => {
    expect(texts('SELECT `a;b` FROM t; SELECT "c;""d" FROM u')).toEqual([
      'SELECT `a;b` FROM t',
      'SELECT "c;""d" FROM u',
    ]);
  });

  it('ignores semicolons in comments and drops comment-only pieces', () => {
    const script = [
      '-- a comment; with a semicolon',
      'SELECT 1 /* inline; block */ ;',
      '/* a block;',
      '   over lines; */',
      '-- only a comment here;',
      ';',
    ].join('\n');
    expect(texts(script)).toEqual(['-- a comment; with a semicolon\nSELECT 1 /* inline; block */']);
  });

  it('drops blank statements', () => {
    expect(texts(';;  ;\n\n;SELECT 1;;\n;  ')).toEqual(['SELECT 1']);
    expect(splitStatements('')).toEqual([]);
    expect(splitStatements('  \n -- nothing\n')).toEqual([]);
  });

  it('keeps a statement set whole', () => {
    const set = 'EXECUTE STATEMENT SET\nBEGIN\n  INSERT INTO a SELECT 1;\n  INSERT INTO b SELECT 2;\nEND';
    expect(texts(`SET 'x' = 'y';\n${set};\nSELECT 3;`)).toEqual(["SET 'x' = 'y'", set, 'SELECT 3']);
    expect(texts('STATEMENT SET BEGIN INSERT INTO a SELECT 1; END; SELECT 2')).toEqual([
      'STATEMENT SET BEGIN INSERT INTO a SELECT 1; END',
      'SELECT 2',
    ]);
  });

  it('gives each statement the line and column it starts at', () => {
    const script = 'SELECT 1;   SELECT 2;\n\n  -- c\n  SELECT\n 3;';
    expect(splitStatements(script).map(({ line, column }) => ({ line, column }))).toEqual([
      { line: 1, column: 1 },
      { line: 1, column: 13 },
      { line: 3, column: 3 },
    ]);
  });

  it('an unterminated literal or comment runs to the end of the script', () => {
    expect(texts("SELECT 'a; b")).toEqual(["SELECT 'a; b"]);
    expect(texts('SELECT 1 /* ; ')).toEqual(['SELECT 1 /* ;']);
  });
});
