/**
 * Static checks of the ksqlDB migrations the compose file applies: statements that parse, migration
 * names, and the topics they read and write. Pure.
 */

const KSQL_STATEMENT =
  /^(CREATE|SET|UNSET|INSERT|DROP|ALTER|DEFINE|UNDEFINE|TERMINATE|PAUSE|RESUME|ASSERT)\b/i;

/** Split ksqlDB SQL into statements: `--` comments removed, `;` inside quotes or backticks kept. */
export function ksqlStatements(text: string): { statements: string[]; trailing: string } {
  const statements: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      current += c;
      if (c === quote) {
        if (text[i + 1] === quote) current += text[++i];
        else quote = undefined;
      }
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end - 1;
      continue;
    }
    if (c === "'" || c === '`' || c === '"') quote = c;
    if (c === ';') {
      statements.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  if (quote) return { statements, trailing: `unterminated ${quote} quote` };
  return { statements, trailing: current.trim() };
}

export function ksqlMigrationProblems(files: { name: string; text: string }[]): string[] {
  const problems: string[] = [];
  if (files.length === 0) problems.push('no ksql migration files');
  const versions = new Set<string>();
  for (const { name, text } of files) {
    const m = /^V(\d{6})__\w+\.sql$/.exec(name);
    if (!m) problems.push(`${name}: not named V<6 digits>__<name>.sql as ksql-migrations requires`);
    else if (versions.has(m[1]!)) problems.push(`${name}: version ${m[1]} used twice`);
    else versions.add(m[1]!);
    const { statements, trailing } = ksqlStatements(text);
    if (trailing !== '') problems.push(`${name}: text after the last ";": ${trailing.slice(0, 60)}`);
    if (!statements.some((s) => /^(CREATE|INSERT)/i.test(s)))
      problems.push(`${name}: no CREATE or INSERT statement`);
    for (const s of statements) {
      if (s === '') problems.push(`${name}: an empty statement (";;")`);
      else if (!KSQL_STATEMENT.test(s))
        problems.push(`${name}: statement does not start with a ksqlDB verb: ${s.slice(0, 60)}`);
    }
  }
  return problems;
}

/** KAFKA_TOPIC names the migrations read or write. */
export function ksqlTopics(files: { text: string }[]): string[] {
  return files.flatMap(({ text }) => [...text.matchAll(/KAFKA_TOPIC\s*=\s*'([^']+)'/gi)].map((m) => m[1]!));
}

/** Pipeline topics must be ones orderflow creates; ksqlDB's own intermediate topics start with ksql_. */
export function topicProblems(topics: string[], pipelineTopics: string[]): string[] {
  return topics
    .filter((t) => !pipelineTopics.includes(t) && !t.startsWith('ksql_'))
    .map((t) => `topic ${t} is neither an orderflow topic (schemas/topics.ts) nor a ksql_ intermediate`);
}
