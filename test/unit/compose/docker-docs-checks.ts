/**
 * Static checks of docs/docker.md against the compose setup: queries use the schemas' enum symbols,
 * commands show what they say they show, and unbounded retention is said. Pure.
 */
import { asArgs, environmentOf, isOneShot, type ComposeFile } from './compose-model.ts';

/** Enum fields of Avro schemas by field name (lower case), with their symbols. */
export function avroEnums(schemas: unknown[]): Map<string, string[]> {
  const enums = new Map<string, string[]>();
  const enumOf = (t: unknown): string[] | undefined => {
    if (Array.isArray(t)) return t.map(enumOf).find(Boolean);
    if (t && typeof t === 'object' && (t as { type?: unknown }).type === 'enum')
      return (t as { symbols: string[] }).symbols;
    return undefined;
  };
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as { name?: unknown; type?: unknown; fields?: unknown };
    if (typeof o.name === 'string' && o.type !== undefined) {
      const symbols = enumOf(o.type);
      if (symbols && o.fields === undefined) enums.set(o.name.toLowerCase(), symbols);
    }
    Object.values(o).forEach(walk);
  };
  schemas.forEach(walk);
  return enums;
}

export function docEnumProblems(markdown: string, enums: Map<string, string[]>): string[] {
  const problems: string[] = [];
  for (const block of markdown.matchAll(/```sql\n([\s\S]*?)```/g)) {
    for (const m of block[1]!.matchAll(/`?(\w+)`?\s*(?:=|!=|<>)\s*'([^']*)'/g)) {
      const symbols = enums.get(m[1]!.toLowerCase());
      if (symbols && !symbols.includes(m[2]!))
        problems.push(
          `docs: ${m[1]} = '${m[2]}' never matches: the enum's symbols are ${symbols.join(', ')}`,
        );
    }
  }
  return problems;
}

/** `docker compose ps` leaves exited containers out: with one-shot services, the docs need `-a`. */
export function psProblems(markdown: string, compose: ComposeFile): string[] {
  if (!Object.values(compose.services).some(isOneShot)) return [];
  return [...markdown.matchAll(/docker compose ps\b([^`\n]*)/g)]
    .filter((m) => !/(^|\s)(-a|--all)\b/.test(m[1]!))
    .map((m) => `docs: "${m[0].trim()}" does not list the exited setup services (add -a)`);
}

export function retentionUnbounded(kafkaEnv: Record<string, string>): boolean {
  const time = ['KAFKA_LOG_RETENTION_MS', 'KAFKA_LOG_RETENTION_MINUTES', 'KAFKA_LOG_RETENTION_HOURS']
    .map((k) => kafkaEnv[k])
    .find((v) => v !== undefined);
  const bytes = Number(kafkaEnv.KAFKA_LOG_RETENTION_BYTES ?? '-1');
  return time === '-1' && !(bytes > 0);
}

export function retentionProblems(compose: ComposeFile, docs: string): string[] {
  const kafka = compose.services.kafka;
  if (!kafka || !retentionUnbounded(environmentOf(kafka))) return [];
  const liveGenerator = Object.entries(compose.services).find(
    ([, s]) =>
      (s.profiles ?? []).length === 0 &&
      !isOneShot(s) &&
      /^generate\b.*--mode live/.test(asArgs(s.command).join(' ')),
  );
  if (!liveGenerator) return [];
  const section = /^## Retention\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(docs)?.[1];
  if (!section)
    return [
      'docs: Kafka keeps every record and the live generator never stops, but no "## Retention" section says so',
    ];
  const problems: string[] = [];
  if (!/for ever|never deleted|without bound|grows/i.test(section))
    problems.push('docs: the Retention section does not say the data grows without bound');
  for (const command of [`docker compose stop ${liveGenerator[0]}`, 'docker compose down -v']) {
    if (!section.includes(command)) problems.push(`docs: the Retention section does not give \`${command}\``);
  }
  return problems;
}
