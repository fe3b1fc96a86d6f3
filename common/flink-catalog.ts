import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { avroTable, deadLetterTables, lifecycleTables, type AvroType } from './flink-catalog-ddl.ts';
import { splitStatements } from './flink-statements.ts';

const FLINK_DIR = fileURLToPath(new URL('../flink/', import.meta.url));
const SCHEMAS_DIR = fileURLToPath(new URL('../schemas/', import.meta.url));

export interface CatalogParams {
  prefix: string;
  bootstrap: string;
  /** The registry's Confluent-compatible API, e.g. http://127.0.0.1:8081/apis/ccompat/v7. */
  registry: string;
}

/** A SQL string literal's content: single quotes doubled. */
function sqlString(s: string): string {
  return s.replaceAll("'", "''");
}

/**
 * A flink/*.sql file with its placeholders filled: {{prefix}}, {{bootstrap}}, {{registry}} and
 * {{schema:<file under schemas/>}} (the schema as compact JSON, quotes doubled for a SQL literal).
 */
export function renderSql(text: string, p: CatalogParams): string {
  return text.replace(/\{\{(prefix|bootstrap|registry|schema:[^}]+)\}\}/g, (_m, name: string) => {
    if (name === 'prefix') return sqlString(p.prefix);
    if (name === 'bootstrap') return sqlString(p.bootstrap);
    if (name === 'registry') return sqlString(p.registry);
    const file = name.slice('schema:'.length);
    const schema = JSON.stringify(JSON.parse(readFileSync(`${SCHEMAS_DIR}${file}`, 'utf8')));
    return sqlString(schema);
  });
}

/**
 * A flink/*.sql file as it is run: catalog.sql with its generated tables in place of
 * {{lifecycle-tables}}, {{dlq-tables}} and each {{avro-table:<topic>:<key column>:<schema
 * file>:<event time column>}} (common/flink-catalog-ddl.ts); the other placeholders still unfilled.
 */
export function readFlinkSql(name: 'catalog.sql' | 'split.sql'): string {
  const text = readFileSync(`${FLINK_DIR}${name}`, 'utf8');
  return text
    .replace('{{lifecycle-tables}}', () => lifecycleTables(readSchema('order.avsc')))
    .replace('{{dlq-tables}}', () => deadLetterTables())
    .replace(
      /\{\{avro-table:([^:}]+):([^:}]+):([^:}]+):([^}]+)\}\}/g,
      (_m, topic: string, key: string, schemaFile: string, eventTime: string) =>
        avroTable(topic, key, schemaFile, readSchema(schemaFile), eventTime),
    );
}

function readSchema(file: string): AvroType {
  return JSON.parse(readFileSync(`${SCHEMAS_DIR}${file}`, 'utf8')) as AvroType;
}

/** The catalog's statements, rendered, one string each. */
export function catalogStatements(p: CatalogParams): string[] {
  return splitStatements(renderSql(readFlinkSql('catalog.sql'), p)).map((s) => s.text);
}
