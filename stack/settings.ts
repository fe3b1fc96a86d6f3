import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { z } from 'zod';
import { integerIn, port, positiveInt, setting } from '../common/config.ts';
import { ftpSettings } from '../common/ftp-settings.ts';

/** "2122-2131": the first and last passive-mode port of the FTP server. */
const portRange = z
  .string()
  .regex(/^\d+-\d+$/, 'two ports as FIRST-LAST, e.g. 2122-2131')
  .refine((v) => {
    const [a = 0, b = 0] = v.split('-').map(Number);
    return a >= 1 && b <= 65535 && a <= b;
  }, 'two ports as FIRST-LAST with FIRST <= LAST, 1..65535');

const REPO_ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Where the local stack lives and listens. Every port binds 127.0.0.1 only. */
export const stackSettings = {
  home: setting(
    'ORDERFLOW_HOME',
    z.string().min(1),
    path.join(REPO_ROOT, '.orderflow'),
    'State directory: downloaded stack, data, logs and pid files.',
  ),
  kafkaPort: setting('ORDERFLOW_KAFKA_PORT', port, 9092, 'Kafka broker port (PLAINTEXT).'),
  kafkaSaslPort: setting(
    'ORDERFLOW_KAFKA_SASL_PORT',
    integerIn(0, 65535),
    9094,
    'Kafka SASL_SSL listener port (SCRAM-SHA-512, certificates in $ORDERFLOW_HOME/tls); 0 turns the listener off.',
  ),
  kafkaControllerPort: setting('ORDERFLOW_KAFKA_CONTROLLER_PORT', port, 9093, 'Kafka KRaft controller port.'),
  registryPort: setting('ORDERFLOW_REGISTRY_PORT', port, 8081, 'Apicurio Registry HTTP port.'),
  registryManagementPort: setting(
    'ORDERFLOW_REGISTRY_MANAGEMENT_PORT',
    port,
    9081,
    'Apicurio Registry management (health) port.',
  ),
  connectPort: setting('ORDERFLOW_CONNECT_PORT', port, 8083, 'Kafka Connect REST port.'),
  pgPort: setting('ORDERFLOW_PG_PORT', port, 5544, "Port of orderflow's private PostgreSQL cluster."),
  flink: setting(
    'ORDERFLOW_FLINK',
    z.enum(['on', 'off']),
    'off',
    'Whether `stack up` starts Apache Flink (JobManager, TaskManager, SQL Gateway: about 3 GB); `orderflow run` and `orderflow sql` turn it on.',
  ),
  flinkRestPort: setting(
    'ORDERFLOW_FLINK_REST_PORT',
    port,
    8091,
    "Flink JobManager's REST API and web UI port.",
  ),
  flinkGatewayPort: setting('ORDERFLOW_FLINK_GATEWAY_PORT', port, 8092, 'Flink SQL Gateway REST port.'),
  flinkRpcPort: setting(
    'ORDERFLOW_FLINK_RPC_PORT',
    integerIn(1, 65532),
    6123,
    "First of Flink's internal ports: JobManager RPC, blob server, (unused), TaskManager data (this one and the next three; the TaskManager's RPC port is any free one, so that a TaskManager started again after a crash has a new address).",
  ),
  ftpPort: ftpSettings.ftpPort,
  ftpPassivePorts: setting(
    'ORDERFLOW_FTP_PASSIVE_PORTS',
    portRange,
    '2122-2131',
    "The local stack's vsftpd's passive-mode data ports, FIRST-LAST (one per concurrent transfer).",
  ),
  ftpUser: ftpSettings.ftpUser,
  ftpPassword: ftpSettings.ftpPassword,
  ftpTls: ftpSettings.ftpTls,
  startTimeoutSec: setting(
    'ORDERFLOW_STACK_START_TIMEOUT',
    positiveInt,
    180,
    'Seconds to wait for each component to become healthy.',
  ),
};

export type StackSettings = {
  home: string;
  kafkaPort: number;
  kafkaSaslPort: number;
  kafkaControllerPort: number;
  registryPort: number;
  registryManagementPort: number;
  connectPort: number;
  pgPort: number;
  flink: 'on' | 'off';
  flinkRestPort: number;
  flinkGatewayPort: number;
  flinkRpcPort: number;
  ftpPort: number;
  ftpPassivePorts: string;
  ftpUser: string;
  ftpPassword: string;
  ftpTls: boolean;
  startTimeoutSec: number;
};

export function stackPaths(home: string) {
  return {
    home,
    stack: path.join(home, 'stack'),
    kafkaLib: path.join(home, 'stack', 'kafka', 'lib'),
    plugins: path.join(home, 'stack', 'plugins'),
    apicurio: path.join(home, 'stack', 'apicurio'),
    flinkLib: path.join(home, 'stack', 'flink', 'lib'),
    data: path.join(home, 'data'),
    conf: path.join(home, 'conf'),
    logs: path.join(home, 'logs'),
    run: path.join(home, 'run'),
  };
}

export type StackPaths = ReturnType<typeof stackPaths>;
