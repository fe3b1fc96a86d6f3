/**
 * docker-compose.yml's flink profile checked without a Docker engine: JobManager, TaskManager and SQL
 * Gateway on one pinned image, the connector jars the local stack pins, and their wiring and start
 * order. Every check also runs on a deliberately broken copy, to show it can fail.
 */
import { describe, expect, it } from 'vitest';
import { compose, copy, read, vars } from './compose-fixture.ts';
import { environmentOf } from './compose-model.ts';
import { healthcheckPortProblems, listeningPorts } from './health-and-port-checks.ts';
import { buildOf, pomProperties } from './image-checks.ts';

describe('the flink profile', () => {
  const FLINK = ['flink-jobmanager', 'flink-taskmanager', 'flink-sql-gateway'];
  const props = (name: string) =>
    Object.fromEntries(
      (environmentOf(compose.services[name]!).FLINK_PROPERTIES ?? '')
        .split('\n')
        .filter((l) => l.includes(':'))
        .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]),
    );

  it('runs JobManager, TaskManager and SQL Gateway only in that profile, on one image built from the pinned Flink image', () => {
    for (const name of FLINK) {
      const svc = compose.services[name]!;
      expect([name, svc.profiles]).toEqual([name, ['flink']]);
      expect(svc.image).toBe(
        `orderflow-flink:${vars.FLINK_IMAGE_TAG}-kafka-${vars.FLINK_KAFKA_CONNECTOR_VERSION}`,
      );
      expect(buildOf(svc)?.context).toBe('./compose/flink');
    }
    // Nothing outside the profile needs Flink.
    for (const [name, svc] of Object.entries(compose.services))
      if (!FLINK.includes(name)) expect([name, svc.profiles ?? []]).not.toEqual([name, ['flink']]);
    const df = read('compose', 'flink', 'Dockerfile');
    expect(df).toMatch(/^FROM flink:\$\{FLINK_IMAGE_TAG\}$/m);
    expect(vars.FLINK_IMAGE_TAG).toMatch(
      new RegExp(`^${vars.FLINK_VERSION!.replaceAll('.', '\\.')}-java17$`),
    );
  });

  it('adds the Kafka connector and avro-confluent jars the local stack pins', () => {
    const pom = pomProperties(read('stack', 'pom.xml'));
    expect(vars.FLINK_VERSION).toBe(pom['flink.version']);
    expect(vars.FLINK_KAFKA_CONNECTOR_VERSION).toBe(pom['flink.kafka.connector.version']);
    const df = read('compose', 'flink', 'Dockerfile');
    expect(df).toContain('org.apache.flink:flink-sql-connector-kafka:${FLINK_KAFKA_CONNECTOR_VERSION}');
    expect(df).toContain('org.apache.flink:flink-sql-avro-confluent-registry:${FLINK_VERSION}');
    expect(df).toContain('COPY --from=jars /jars/ /opt/flink/lib/');
    const localJars = read('stack', 'flink', 'pom.xml');
    for (const artifact of ['flink-sql-connector-kafka', 'flink-sql-avro-confluent-registry'])
      expect(localJars).toContain(`<artifactId>${artifact}</artifactId>`);
  });

  it('wires the three to one another and starts them in order, as the local stack sets Flink up', () => {
    expect(props('flink-taskmanager')['jobmanager.rpc.address']).toBe('flink-jobmanager');
    expect(props('flink-sql-gateway')['rest.address']).toBe('flink-jobmanager');
    expect(props('flink-sql-gateway')['execution.target']).toBe('remote');
    expect(props('flink-jobmanager')['restart-strategy.type']).toBe('exponential-delay');
    expect(Number(props('flink-taskmanager')['taskmanager.numberOfTaskSlots'])).toBe(4);
    expect(compose.services['flink-taskmanager']!.depends_on).toEqual({
      'flink-jobmanager': { condition: 'service_healthy' },
    });
    expect(compose.services['flink-sql-gateway']!.depends_on).toEqual({
      'flink-taskmanager': { condition: 'service_healthy' },
    });
    // The ports its health checks probe are its own (from FLINK_PROPERTIES and the gateway's -D flags).
    expect(listeningPorts('flink-jobmanager', compose.services['flink-jobmanager']!)).toEqual(
      new Set([6123, 8081]),
    );
    expect(listeningPorts('flink-taskmanager', compose.services['flink-taskmanager']!)).toEqual(
      new Set([6122]),
    );
    expect(listeningPorts('flink-sql-gateway', compose.services['flink-sql-gateway']!)).toEqual(
      new Set([8083]),
    );
    const broken = copy();
    broken.services['flink-taskmanager']!.healthcheck = {
      test: ['CMD', 'bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/6199'],
    };
    expect(healthcheckPortProblems(broken)).toEqual([
      'flink-taskmanager: health check probes port 6199, which nothing listens on',
    ]);
  });
});
