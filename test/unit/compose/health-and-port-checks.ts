/**
 * Static checks of how the compose services reach and watch one another: health checks and start
 * order, published ports, the ports each service listens on and the addresses others use. Pure.
 */
import { dependsOn, environmentOf, isOneShot, type ComposeFile, type Service } from './compose-model.ts';

export function healthProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  const services = compose.services;
  const hasHealthcheck = (s: Service) => !!s.healthcheck && !s.healthcheck.disable && !!s.healthcheck.test;
  for (const [name, s] of Object.entries(services)) {
    if (!isOneShot(s) && !hasHealthcheck(s))
      problems.push(`${name}: long-running service without a healthcheck`);
    for (const [target, condition] of Object.entries(dependsOn(s))) {
      const t = services[target];
      if (!t) {
        problems.push(`${name}: depends on unknown service ${target}`);
        continue;
      }
      if (condition === 'service_healthy' && !hasHealthcheck(t)) {
        problems.push(`${name}: waits for ${target} to be healthy, but ${target} has no healthcheck`);
      } else if (condition === 'service_completed_successfully' && !isOneShot(t)) {
        problems.push(`${name}: waits for ${target} to complete, but ${target} is restarted (not one-shot)`);
      } else if (condition !== 'service_healthy' && condition !== 'service_completed_successfully') {
        problems.push(`${name}: depends on ${target} with condition ${condition} (use healthy or completed)`);
      }
    }
  }
  // No cycles.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      problems.push(`dependency cycle: ${[...trail, name].join(' -> ')}`);
      return;
    }
    state.set(name, 'visiting');
    for (const target of Object.keys(dependsOn(services[name] ?? {})))
      if (services[target]) visit(target, [...trail, name]);
    state.set(name, 'done');
  };
  for (const name of Object.keys(services)) visit(name, []);
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Published ports: only what a user opens, and only on the loopback interface.

export function portProblems(compose: ComposeFile, allowed: readonly string[]): string[] {
  const problems: string[] = [];
  for (const [name, s] of Object.entries(compose.services)) {
    for (const p of s.ports ?? []) {
      if (!allowed.includes(name))
        problems.push(`${name}: publishes ${JSON.stringify(p)}, not a user-facing port`);
      const hostIp = typeof p === 'object' ? p.host_ip : /^(\d+\.\d+\.\d+\.\d+):\d+:\d+/.exec(String(p))?.[1];
      if (hostIp !== '127.0.0.1') problems.push(`${name}: publishes ${JSON.stringify(p)} on all interfaces`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Kafka broker settings: the same as the local stack's server.properties (stack/components.ts).

const IMAGE_DEFAULT_PORTS: Record<string, number[]> = {
  postgres: [5432],
  'kafbat/kafka-ui': [8080],
  // compose/ftp: vsftpd's control port (vsftpd.conf's listen_port default).
  'orderflow-ftp': [21],
};

export function listeningPorts(name: string, s: Service): Set<number> {
  const ports = new Set<number>();
  for (const [key, value] of Object.entries(environmentOf(s))) {
    if (/LISTENERS$/.test(key) && !/ADVERTISED/.test(key)) {
      for (const m of value.matchAll(/:(\d+)(?=,|$|\/)/g)) ports.add(Number(m[1]));
    }
    if (['ORDERFLOW_HTTP_PORT', 'ORDERFLOW_DASHBOARD_PORT', 'ORDERFLOW_API_PORT'].includes(key))
      ports.add(Number(value));
  }
  // Flink (FLINK_PROPERTIES, one `key: value` a line): the ports of the role its command starts;
  // the other keys there are addresses it connects to.
  const command = Array.isArray(s.command) ? s.command.join(' ') : String(s.command ?? '');
  const role = /sql-gateway/.test(command)
    ? ['sql-gateway.endpoint.rest.port']
    : command === 'jobmanager'
      ? ['rest.port', 'jobmanager.rpc.port']
      : command === 'taskmanager'
        ? ['taskmanager.rpc.port']
        : [];
  for (const line of (environmentOf(s).FLINK_PROPERTIES ?? '').split('\n')) {
    const m = /^\s*([\w.-]+):\s*(\d+)\s*$/.exec(line);
    if (m && role.includes(m[1]!)) ports.add(Number(m[2]));
  }
  for (const m of command.matchAll(/-Dsql-gateway\.endpoint\.rest\.port=(\d+)/g)) ports.add(Number(m[1]));
  for (const [image, list] of Object.entries(IMAGE_DEFAULT_PORTS)) {
    if ((s.image ?? '').includes(image) || name === image) list.forEach((p) => ports.add(p));
  }
  return ports;
}

export function addressProblems(
  compose: ComposeFile,
  extra: { where: string; value: string }[] = [],
): string[] {
  const problems: string[] = [];
  const names = Object.keys(compose.services);
  const ports = new Map(names.map((n) => [n, listeningPorts(n, compose.services[n]!)]));
  const values: { where: string; value: string }[] = [...extra];
  for (const [name, s] of Object.entries(compose.services)) {
    for (const [key, value] of Object.entries(environmentOf(s))) {
      if (/ADVERTISED|^KAFKA_LISTENERS$|_LISTENERS$|QUORUM_VOTERS/.test(key)) continue;
      values.push({ where: `${name} ${key}`, value });
    }
  }
  for (const { where, value } of values) {
    for (const m of value.matchAll(/(?:^|[/@,])([a-z][a-z0-9-]*):(\d+)/g)) {
      const host = m[1]!;
      const port = Number(m[2]);
      if (!ports.has(host)) {
        if (!['localhost', 'http', 'https', 'postgres'].includes(host))
          problems.push(`${where}: ${host} is not a service`);
        continue;
      }
      if (!ports.get(host)!.has(port)) {
        problems.push(
          `${where}: ${host}:${port}, but ${host} listens on ${[...ports.get(host)!].join(', ') || 'nothing known'}`,
        );
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// orderflow services: settings they are given exist, commands they run.

/** A health check probes a port its own service listens on. */
export function healthcheckPortProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, s] of Object.entries(compose.services)) {
    const test = s.healthcheck?.test;
    if (!test || s.healthcheck?.disable) continue;
    const words = Array.isArray(test) ? test : [test];
    const ports: number[] = [];
    const script = words.findIndex((w) => w.endsWith('http-check.sh'));
    if (script >= 0) ports.push(Number(words[script + 1]));
    for (const w of words)
      for (const m of w.matchAll(/(?:127\.0\.0\.1|localhost|\b[a-z][a-z0-9-]*):(\d+)\b/g))
        ports.push(Number(m[1]));
    for (const m of words.join(' ').matchAll(/connect\((\d+),/g)) ports.push(Number(m[1]));
    for (const m of words.join(' ').matchAll(/\/dev\/tcp\/(?:127\.0\.0\.1|localhost)\/(\d+)/g))
      ports.push(Number(m[1]));
    const listening = listeningPorts(name, s);
    for (const port of ports) {
      // A check may also probe a port of another service it needs (the generator probes the broker).
      const elsewhere = Object.entries(compose.services).some(
        ([n, o]) => n !== name && listeningPorts(n, o).has(port),
      );
      if (!listening.has(port) && !elsewhere)
        problems.push(`${name}: health check probes port ${port}, which nothing listens on`);
    }
    if (ports.length === 0 && !words.some((w) => /pg_isready|kafka-broker-api-versions/.test(w))) {
      problems.push(`${name}: health check probes no port: ${words.join(' ')}`);
    }
  }
  return problems;
}
