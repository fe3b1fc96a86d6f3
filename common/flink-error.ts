/**
 * Flink's error for a statement, as `orderflow sql` prints it: the meaningful message out of the
 * gateway's stack trace, and where the error is, in the statement and in the script it came from.
 * Pure: no I/O.
 */
import type { Statement } from './flink-statements.ts';

/**
 * Flink's message from a gateway error response: the innermost "Caused by" of a table, parser or
 * validation exception (it carries "at line L, column C"), else the innermost cause.
 */
export function flinkErrorMessage(body: string): string {
  let errors: string[] = [];
  try {
    errors = (JSON.parse(body) as { errors?: string[] }).errors ?? [];
  } catch {
    return body.trim();
  }
  const text = errors.join('\n');
  const causes = [
    ...text.matchAll(
      /^(?:Caused by: )?([\w.$]+(?:Exception|Error)): (.*(?:\n(?!\s+at |Caused by:|\s*\.\.\. \d+ more)[^\n]*)*)/gm,
    ),
  ].map((m) => ({ cls: m[1]!, msg: m[2]!.trim() }));
  const tableLevel = causes.filter((c) =>
    /org\.apache\.flink\.(table\.api|sql\.parser|table\.planner)|org\.apache\.calcite|ParseException/.test(
      c.cls,
    ),
  );
  const pick = tableLevel[0] ?? causes.at(-1);
  if (!pick) return errors.filter((e) => e !== 'Internal server error.').join('\n') || text;
  return pick.msg;
}

export interface Position {
  line: number;
  column: number;
}

/**
 * Where Flink's message places the error in the statement: "at line L, column C" (parser) or
 * "From line L, column C to ..." (validator); the first position named.
 */
export function errorPosition(message: string): Position | undefined {
  const m = /\bline (\d+), column (\d+)/i.exec(message);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
}

/** A position in a statement as a position in the script the statement starts in. */
export function inScript(p: Position, stmt: Pick<Statement, 'line' | 'column'>): Position {
  return {
    line: stmt.line + p.line - 1,
    column: p.line === 1 ? stmt.column + p.column - 1 : p.column,
  };
}

/** The message for a failed statement of a script file: Flink's, then where it is in the file. */
export function scriptErrorMessage(message: string, stmt: Statement, file: string): string {
  const p = errorPosition(message);
  if (!p) return `${message} (statement at line ${stmt.line} of ${file})`;
  const at = inScript(p, stmt);
  return `${message} (${file}:${at.line}:${at.column}, in the statement at line ${stmt.line})`;
}
