import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../common/logger.ts';
import { describeKafkaPassthrough, kafkaPassthrough } from '../../../common/settings.ts';

const SECRET = 'hunter2-not-for-logs';

function captured(): { lines: () => string; stream: Writable } {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { lines: () => text, stream };
}

describe('secrets stay out of logs', () => {
  it('redacts SASL/SSL passwords and JAAS configs at the top level and one object down', () => {
    const out = captured();
    const log = createLogger('test', 'info', out.stream);
    log.info({ 'sasl.password': SECRET, 'sasl.jaas.config': `password="${SECRET}"` }, 'top');
    log.info({ config: { 'sasl.password': SECRET, 'ssl.key.password': SECRET, password: SECRET } }, 'nested');
    log.info({ env: { ORDERFLOW_KAFKA_SASL_PASSWORD: SECRET }, settings: { jdbcPassword: SECRET } }, 'env');
    log.info({ 'sasl.username': 'orderflow' }, 'user names are not secrets');
    const text = out.lines();
    expect(text.split('\n').filter(Boolean)).toHaveLength(4);
    expect(text).not.toContain(SECRET);
    expect(text.match(/\[redacted\]/g)).toHaveLength(7);
    expect(text).toContain('"sasl.username":"orderflow"');
  });

  it('passes the SASL variables through under librdkafka names, but not the stack ports', () => {
    const env = {
      ORDERFLOW_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      ORDERFLOW_KAFKA_SASL_MECHANISMS: 'SCRAM-SHA-512',
      ORDERFLOW_KAFKA_SASL_USERNAME: 'orderflow',
      ORDERFLOW_KAFKA_SASL_PASSWORD: SECRET,
      ORDERFLOW_KAFKA_SSL_CA_LOCATION: '/x/ca.pem',
      ORDERFLOW_KAFKA_SASL_PORT: '9094',
      ORDERFLOW_KAFKA_PORT: '9092',
      ORDERFLOW_KAFKA_BOOTSTRAP: '127.0.0.1:9094',
    };
    expect(kafkaPassthrough(env)).toEqual({
      'security.protocol': 'SASL_SSL',
      'sasl.mechanisms': 'SCRAM-SHA-512',
      'sasl.username': 'orderflow',
      'sasl.password': SECRET,
      'ssl.ca.location': '/x/ca.pem',
    });
    const shown = describeKafkaPassthrough(env);
    expect(shown).toContain('ORDERFLOW_KAFKA_SASL_PASSWORD -> sasl.password = [redacted]');
    expect(shown).toContain('ORDERFLOW_KAFKA_SASL_USERNAME -> sasl.username = orderflow');
    expect(shown.join('\n')).not.toContain(SECRET);
  });
});
