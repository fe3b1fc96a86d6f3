/**
 * Tables of the catalog whose Kafka topic does not exist. Flink's Kafka source fails on such a
 * topic at run time, not at planning: the query's job fails with an NPE in CollectSinkFunction that
 * also kills the TaskManager. So `orderflow sql` declares only the tables whose topic exists, and
 * when Flink then reports one of the others as not found, says which topic is missing and how to
 * create it. Pure: no I/O.
 */
import { OrderflowError } from './errors.ts';

export interface CatalogTable {
  table: string;
  topic: string;
}

/** The table and topic a `CREATE TABLE ... 'topic' = '...'` statement declares (none for other statements). */
export function tableOf(statement: string): CatalogTable | undefined {
  const code = statement.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
  const name = /^\s*CREATE\s+(?:TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?`?([\w.]+)`?/i.exec(code);
  const topic = /'topic'\s*=\s*'((?:[^']|'')*)'/.exec(code);
  if (!name || !topic) return undefined;
  return { table: name[1]!, topic: topic[1]!.replaceAll("''", "'") };
}

/** Flink's ways of saying a table is not in the catalog: a query's FROM, and a LIKE clause. */
const NOT_FOUND = [
  /Object '([\w.]+)' not found/g,
  /Table '?`?([\w.`]+?)`?'? (?:was )?not found/g,
  /Source table '([\w.`]+)' of the LIKE clause not found/g,
];

/**
 * The error to give for Flink's `message` when it names a table left out for its missing topic;
 * undefined when the message is about something else.
 */
export function missingTopicError(
  message: string,
  missing: readonly CatalogTable[],
  prefix: string,
): OrderflowError | undefined {
  const named = NOT_FOUND.flatMap((re) => [...message.matchAll(re)].map((m) => m[1]!));
  for (const name of named) {
    const last = name.replaceAll('`', '').split('.').at(-1)!.toLowerCase();
    const t = missing.find((x) => x.table.toLowerCase() === last);
    if (t) return topicMissing(t, prefix);
  }
  return undefined;
}

export function topicMissing(t: CatalogTable, prefix: string): OrderflowError {
  return new OrderflowError(
    'ORDERFLOW_TOPIC_MISSING',
    `table ${t.table} reads the Kafka topic ${t.topic}, which does not exist (topic prefix ${JSON.stringify(prefix)}): ` +
      `create the pipeline's topics with \`orderflow topics\` (same ORDERFLOW_TOPIC_PREFIX), or start the pipeline with \`orderflow run\``,
  );
}
