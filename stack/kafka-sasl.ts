/**
 * The local broker's optional SASL_SSL listener (SCRAM-SHA-512 over TLS), so the chain can be run
 * the way a secured cluster is: a self-signed CA and a broker certificate the stack generates into
 * $ORDERFLOW_HOME/tls, the listener's server.properties lines, and the client properties a Java
 * client (Kafka Connect) needs, with the password read from the environment at run time.
 * Inter-broker and controller traffic stay on the PLAINTEXT listeners.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StackPaths } from './settings.ts';

export const SASL_MECHANISM = 'SCRAM-SHA-512';

export interface BrokerTls {
  dir: string;
  /** PEM CA certificate: what clients trust (librdkafka ssl.ca.location, Java ssl.truststore). */
  caPem: string;
  /** PEM private key (PKCS#8, unencrypted, mode 0600) followed by the broker certificate and the CA. */
  keystorePem: string;
}

export function tlsPaths(p: StackPaths): BrokerTls {
  const dir = path.join(p.home, 'tls');
  return { dir, caPem: path.join(dir, 'ca.pem'), keystorePem: path.join(dir, 'broker-keystore.pem') };
}

/**
 * Generate the CA and the broker keypair with openssl, once: a complete set on disk is kept (the
 * keystore is written last, by rename, so a half-made set is regenerated). The broker certificate
 * names IP:127.0.0.1 and DNS:localhost; both are valid for ten years.
 */
export function ensureBrokerTls(p: StackPaths): BrokerTls {
  const tls = tlsPaths(p);
  if (existsSync(tls.caPem) && existsSync(tls.keystorePem)) return tls;
  mkdirSync(tls.dir, { recursive: true, mode: 0o700 });
  const f = (name: string) => path.join(tls.dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const days = '3650';
  openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f('ca-key.pem'));
  openssl(
    'req', '-x509', '-new', '-key', f('ca-key.pem'), '-sha256', '-days', days,
    '-subj', '/CN=orderflow local stack CA', '-out', f('ca.pem.tmp'),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ); // prettier-ignore
  openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f('broker-key.pem'));
  openssl('req', '-new', '-key', f('broker-key.pem'), '-subj', '/CN=localhost', '-out', f('broker.csr'));
  const ext = f('broker.ext');
  writeFileSync(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(
    'x509', '-req', '-in', f('broker.csr'), '-CA', f('ca.pem.tmp'), '-CAkey', f('ca-key.pem'),
    '-CAcreateserial', '-sha256', '-days', days, '-extfile', ext, '-out', f('broker.pem'),
  ); // prettier-ignore
  // Kafka's PEM keystore: the PKCS#8 key, then the certificate chain.
  const key = openssl('pkcs8', '-topk8', '-nocrypt', '-in', f('broker-key.pem')).toString();
  const chain = readFileSync(f('broker.pem'), 'utf8') + readFileSync(f('ca.pem.tmp'), 'utf8');
  writeFileSync(f('keystore.tmp'), key + chain, { mode: 0o600 });
  for (const name of ['ca-key.pem', 'broker-key.pem']) chmodSync(f(name), 0o600);
  for (const name of ['broker.csr', 'broker.ext', 'ca.pem.srl']) rmSync(f(name), { force: true });
  renameSync(f('ca.pem.tmp'), tls.caPem);
  renameSync(f('keystore.tmp'), tls.keystorePem);
  return tls;
}

/** server.properties lines of the SASL_SSL listener (listeners themselves are set by the caller). */
export function saslListenerProperties(tls: BrokerTls): string[] {
  const l = 'listener.name.sasl_ssl';
  return [
    `sasl.enabled.mechanisms=${SASL_MECHANISM}`,
    `${l}.${SASL_MECHANISM.toLowerCase()}.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
    `${l}.ssl.keystore.type=PEM`,
    `${l}.ssl.keystore.location=${tls.keystorePem}`,
    `${l}.ssl.client.auth=none`,
  ];
}

/**
 * Client properties of a Java client (a Connect worker and, with the prefixes, its producers,
 * consumers and admin client) on the SASL_SSL listener. The user name and password are not in the
 * file: Kafka's EnvVarConfigProvider reads them from the named environment variables at start-up.
 */
export function javaSaslClientProperties(
  tls: BrokerTls,
  env = { username: 'ORDERFLOW_KAFKA_SASL_USERNAME', password: 'ORDERFLOW_KAFKA_SASL_PASSWORD' },
): string[] {
  const client = [
    'security.protocol=SASL_SSL',
    `sasl.mechanism=${SASL_MECHANISM}`,
    `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="\${env:${env.username}}" password="\${env:${env.password}}";`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${tls.caPem}`,
  ];
  return [
    'config.providers=env',
    'config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider',
    `config.providers.env.param.allowlist.pattern=^(${env.username}|${env.password})$`,
    ...client,
    ...['producer.', 'consumer.', 'admin.'].flatMap((prefix) => client.map((line) => prefix + line)),
  ];
}
