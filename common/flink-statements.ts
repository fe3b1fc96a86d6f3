/**
 * A SQL script split into statements, the way `orderflow sql -f` and the catalog and split scripts
 * are run: one statement per gateway call, with where it starts in the script. Pure: no I/O.
 */

export interface Statement {
  text: string;
  /** 1-based line in the script where the statement starts. */
  line: number;
  /** 1-based column in that line where the statement starts. */
  column: number;
}

/** A piece without its comments (-- to the end of the line, and /* ... *\/). */
function withoutComments(piece: string): string {
  return piece.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}

/** A statement set (EXECUTE STATEMENT SET BEGIN ...; ...; END) keeps its inner semicolons. */
function insideStatementSet(piece: string): boolean {
  const code = withoutComments(piece).trim();
  return /^(EXECUTE\s+)?STATEMENT\s+SET\s+BEGIN\b/i.test(code) && !/\bEND$/i.test(code);
}

/**
 * Split a SQL script into statements at `;` outside string literals ('...', with '' inside),
 * quoted identifiers (`...` and "..."), comments (-- and /* *\/) and statement sets
 * (EXECUTE STATEMENT SET BEGIN ...; END). Blank and comment-only pieces are dropped; a statement's
 * own comments stay with it.
 */
export function splitStatements(script: string): Statement[] {
  const out: Statement[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number) => {
    const raw = script.slice(start, end);
    if (withoutComments(raw).trim() === '') return;
    const at = start + (raw.length - raw.trimStart().length);
    const before = script.slice(0, at);
    const line = before.split('\n').length;
    const column = at - (before.lastIndexOf('\n') + 1) + 1;
    out.push({ text: raw.trim(), line, column });
  };
  while (i < script.length) {
    const c = script[i]!;
    if (c === '-' && script[i + 1] === '-') {
      const nl = script.indexOf('\n', i);
      i = nl === -1 ? script.length : nl + 1;
    } else if (c === '/' && script[i + 1] === '*') {
      const end = script.indexOf('*/', i + 2);
      i = end === -1 ? script.length : end + 2;
    } else if (c === "'" || c === '`' || c === '"') {
      let j = i + 1;
      while (j < script.length) {
        if (script[j] === c) {
          if (script[j + 1] === c) j += 2;
          else break;
        } else j += 1;
      }
      i = j + 1;
    } else if (c === ';' && !insideStatementSet(script.slice(start, i))) {
      push(i);
      i += 1;
      start = i;
    } else i += 1;
  }
  push(script.length);
  return out;
}
