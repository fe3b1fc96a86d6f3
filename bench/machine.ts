/**
 * The machine and the versions a benchmark ran under: CPU model and cores, Node, librdkafka,
 * Kafka (from the local stack's jars), PostgreSQL, the sink connector and the converter.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, hostname, release, totalmem, type } from 'node:os';
import path from 'node:path';
import { KafkaJS } from '@confluentinc/kafka-javascript';
import pg from 'pg';
import type { MachineInfo, Versions } from './types.ts';

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model ?? 'unknown',
    cores: list.length,
    memoryMiB: Math.round(totalmem() / 2 ** 20),
    os: `${type()} ${release()}`,
    hostname: hostname(),
  };
}

/** The version in the first file name under `dir` that matches `pattern` (group 1), or "unknown". */
function versionFromJar(dir: string, pattern: RegExp): string {
  try {
    for (const file of readdirSync(dir)) {
      const m = pattern.exec(file);
      if (m) return m[1]!;
    }
  } catch {
    // not installed here
  }
  return 'unknown';
}

/** HEAD of the work tree, "+dirty" when tracked files differ from it. */
export function gitCommit(root = process.cwd()): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

function packageVersion(name: string): string {
  try {
    const file = path.join(process.cwd(), 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export async function versions(databaseUrl: string, root = process.cwd()): Promise<Versions> {
  const stack = path.join(process.env.ORDERFLOW_HOME ?? path.join(root, '.orderflow'), 'stack');
  let postgres = 'unknown';
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    postgres = (await client.query<{ server_version: string }>('show server_version')).rows[0]!
      .server_version;
  } catch {
    // reported as unknown
  } finally {
    await client.end().catch(() => undefined);
  }
  const lib = (KafkaJS as unknown as { librdkafkaVersion?: string }).librdkafkaVersion;
  let librdkafka = lib ?? 'unknown';
  if (!lib) {
    const mod = (await import('@confluentinc/kafka-javascript')) as {
      librdkafkaVersion?: string;
      default?: { librdkafkaVersion?: string };
    };
    librdkafka = mod.librdkafkaVersion ?? mod.default?.librdkafkaVersion ?? 'unknown';
  }
  return {
    node: process.version,
    librdkafka,
    kafkaJavascript: packageVersion('@confluentinc/kafka-javascript'),
    kafka: versionFromJar(path.join(stack, 'kafka', 'lib'), /^kafka_2\.13-(\d[\w.-]*)\.jar$/),
    postgres,
    debeziumJdbc: versionFromJar(
      path.join(stack, 'plugins', 'debezium-connector-jdbc'),
      /^debezium-connector-jdbc-(\d[\w.-]*)\.jar$/,
    ),
    apicurioConverter: versionFromJar(
      path.join(stack, 'plugins', 'apicurio-converter'),
      /^apicurio-registry-utils-converter-(\d[\w.-]*)\.jar$/,
    ),
    orderflowCommit: gitCommit(root),
  };
}
