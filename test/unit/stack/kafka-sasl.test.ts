import { describe, expect, it } from 'vitest';
import { javaSaslClientProperties, saslListenerProperties } from '../../../stack/kafka-sasl.ts';
import { scramCredentialProblem } from '../../../stack/scram-users.ts';

const tls = { dir: '/h/tls', caPem: '/h/tls/ca.pem', keystorePem: '/h/tls/broker-keystore.pem' };

describe('the SASL_SSL listener settings', () => {
  it('enables SCRAM-SHA-512 on the SASL_SSL listener with the PEM keystore', () => {
    const lines = saslListenerProperties(tls);
    expect(lines).toContain('sasl.enabled.mechanisms=SCRAM-SHA-512');
    expect(lines).toContain('listener.name.sasl_ssl.ssl.keystore.location=/h/tls/broker-keystore.pem');
    expect(lines.some((l) => l.startsWith('listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config='))).toBe(
      true,
    );
  });

  it('gives a Java client and its producer/consumer/admin the credentials by environment reference only', () => {
    const lines = javaSaslClientProperties(tls);
    for (const prefix of ['', 'producer.', 'consumer.', 'admin.']) {
      expect(lines).toContain(`${prefix}security.protocol=SASL_SSL`);
      const jaas = lines.find((l) => l.startsWith(`${prefix}sasl.jaas.config=`))!;
      expect(jaas).toContain('password="${env:ORDERFLOW_KAFKA_SASL_PASSWORD}"');
    }
    expect(lines).toContain(
      'config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider',
    );
  });

  it('accepts SCRAM credentials ConfigCommand can carry and names the variable of one it cannot', () => {
    expect(scramCredentialProblem('orderflow', 'Zm9vYmFyYmF6-_x')).toBeUndefined();
    expect(scramCredentialProblem('orderflow', 'short')).toMatch(/ORDERFLOW_KAFKA_SASL_PASSWORD/);
    expect(scramCredentialProblem('orderflow', 'has,comma-long')).toMatch(/ORDERFLOW_KAFKA_SASL_PASSWORD/);
    expect(scramCredentialProblem('bad user', 'longenough1')).toMatch(/ORDERFLOW_KAFKA_SASL_USERNAME/);
  });
});
