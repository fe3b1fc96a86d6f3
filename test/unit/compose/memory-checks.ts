/**
 * Static checks of the compose stack's memory: every JVM has a heap cap (health checks too), and the
 * total docs/docker.md states holds the budget of everything that runs at once. Pure.
 */
import { environmentOf, isOneShot, type ComposeFile, type Service } from './compose-model.ts';

/** The variable each image's start script reads its JVM heap options from. */
export const JVM_HEAP_VARIABLES: { image: RegExp; variable: string }[] = [
  { image: /cp-kafka:|cp-kafka-connect:|^orderflow-connect:/, variable: 'KAFKA_HEAP_OPTS' },
  { image: /cp-schema-registry:/, variable: 'SCHEMA_REGISTRY_HEAP_OPTS' },
  { image: /cp-ksqldb-server:/, variable: 'KSQL_HEAP_OPTS' },
  { image: /kafbat\/kafka-ui:/, variable: 'JAVA_OPTS' },
];

/** -Xmx in MiB from JVM options, or undefined. */
export function maxHeapMiB(options: string | undefined): number | undefined {
  const m = /-Xmx(\d+)([kKmMgG]?)\b/.exec(options ?? '');
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  return unit === 'g' ? n * 1024 : unit === 'm' ? n : unit === 'k' ? n / 1024 : n / 1024 / 1024;
}

export function jvmHeapOf(s: Service): { variable: string; value: string | undefined } | undefined {
  const jvm = JVM_HEAP_VARIABLES.find((j) => j.image.test(s.image ?? ''));
  return jvm && { variable: jvm.variable, value: environmentOf(s)[jvm.variable] };
}

/** A health check that starts a JVM (a Kafka CLI tool or java itself). */
const healthcheckWords = (s: Service) => {
  const t = s.healthcheck?.test;
  return s.healthcheck?.disable || !t ? '' : (Array.isArray(t) ? t : [t]).join(' ');
};

const startsJvm = (words: string) => /(^|[\s;&|])(kafka-[a-z-]+|java)(\s|$)/.test(words);

/** The heap a JVM health check gives itself: KAFKA_HEAP_OPTS=... set in its own command. */
const healthcheckHeap = (words: string) =>
  maxHeapMiB(/KAFKA_HEAP_OPTS=("[^"]*"|'[^']*'|\S+)/.exec(words)?.[1]);

export const HEALTHCHECK_HEAP_MAX_MIB = 256;

export function heapProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, s] of Object.entries(compose.services)) {
    const heap = jvmHeapOf(s);
    if (heap && maxHeapMiB(heap.value) === undefined)
      problems.push(`${name}: a JVM without a heap cap (-Xmx in ${heap.variable})`);
    const words = healthcheckWords(s);
    if (startsJvm(words)) {
      const mib = healthcheckHeap(words);
      if (mib === undefined)
        problems.push(`${name}: its health check starts a JVM that inherits the service's heap settings`);
      else if (mib > HEALTHCHECK_HEAP_MAX_MIB)
        problems.push(`${name}: its health check's JVM may take ${mib} MiB every run`);
    }
  }
  return problems;
}

/** Estimates outside the heap caps, as docs/docker.md states them. */
export const MEMORY_ALLOWANCE_MIB = { jvmOverhead: 256, postgres: 256, nodeService: 256 };

/** The memory budget of everything that runs at once (profiles left out), in MiB. */
export function memoryBudget(compose: ComposeFile): { total: number; items: Record<string, number> } {
  const items: Record<string, number> = {};
  for (const [name, s] of Object.entries(compose.services)) {
    if ((s.profiles ?? []).length > 0) continue;
    const heap = jvmHeapOf(s);
    if (heap) items[name] = (maxHeapMiB(heap.value) ?? 0) + MEMORY_ALLOWANCE_MIB.jvmOverhead;
    else if ((s.image ?? '').startsWith('postgres:')) items[name] = MEMORY_ALLOWANCE_MIB.postgres;
    else if ((s.image ?? '').startsWith('orderflow:') && !isOneShot(s))
      items[name] = MEMORY_ALLOWANCE_MIB.nodeService;
    const words = healthcheckWords(s);
    if (startsJvm(words)) items[`${name} health check`] = healthcheckHeap(words) ?? 0;
  }
  return { total: Object.values(items).reduce((a, b) => a + b, 0), items };
}

/** The docs' figure ("about N GB of memory") holds the budget, and their table is the compose file's. */
export function memoryDocProblems(compose: ComposeFile, docs: string): string[] {
  const problems: string[] = [];
  const gb = Number(/about (\d+(?:\.\d+)?) GB of memory/.exec(docs)?.[1]);
  const { total } = memoryBudget(compose);
  if (!(gb > 0)) problems.push('docs: no "about N GB of memory" figure');
  else if (total > gb * 1024)
    problems.push(`docs: say about ${gb} GB of memory, the services' budget is ${total} MiB`);
  if (!docs.includes(`| ${total} MB |`)) problems.push(`docs: the memory table's total is not ${total} MB`);
  for (const [name, s] of Object.entries(compose.services)) {
    const flag = /-Xmx\S+/.exec(jvmHeapOf(s)?.value ?? '')?.[0];
    if (flag && !new RegExp(`\\| \`${name}\`[^\\n]*\`${flag}\``).test(docs))
      problems.push(`docs: the memory table does not give ${name} \`${flag}\``);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Bind mounts: LF line endings on every checkout (.gitattributes), SELinux labels.
