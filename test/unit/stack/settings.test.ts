import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../common/config.ts';
import { isOrderflowError } from '../../../common/errors.ts';
import { stackSettings } from '../../../stack/settings.ts';
import { topicPlan } from '../../../stack/topics.ts';

const BIN = fileURLToPath(new URL('../../../bin/orderflow.mjs', import.meta.url));

describe('stack settings', () => {
  it('reads ports from the environment', () => {
    const s = loadSettings(stackSettings, { ORDERFLOW_KAFKA_PORT: '19092' });
    expect(s.kafkaPort).toBe(19092);
    expect(s.pgPort).toBe(5544);
  });

  it('rejects a non-numeric port, naming the variable and the value', () => {
    try {
      loadSettings(stackSettings, { ORDERFLOW_KAFKA_PORT: 'abc' });
      expect.unreachable();
    } catch (error) {
      expect(isOrderflowError(error) && error.code).toBe('ORDERFLOW_CONFIG_INVALID');
      expect((error as Error).message).toContain('ORDERFLOW_KAFKA_PORT="abc"');
    }
  });

  it('stops `stack up` with a clear message and exit 1, without a stack trace', () => {
    const r = spawnSync(process.execPath, [BIN, 'stack', 'up'], {
      env: { ...process.env, ORDERFLOW_PG_PORT: '70000' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ORDERFLOW_PG_PORT="70000" is not valid');
    expect(r.stderr).toContain('[ORDERFLOW_CONFIG_INVALID]');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('topic plan', () => {
  it('gives every stage topic a .dlq twin and the split topics none', () => {
    const names = topicPlan('p_', 6).map((t) => t.topic);
    expect(names).toContain('p_unpaid_orders');
    expect(names).toContain('p_unpaid_orders.dlq');
    expect(names).toContain('p_order_items');
    expect(names).not.toContain('p_order_items.dlq');
    expect(names).toContain('p_orderflow_sink.dlq');
    expect(
      topicPlan('', 6)
        .filter((t) => t.schema)
        .every((t) => t.partitions === 6),
    ).toBe(true);
  });
});
