import { describe, expect, it } from 'vitest';
import { missingTopicError, tableOf } from '../../../common/flink-missing-topics.ts';

describe('tables whose topic is missing', () => {
  it("reads a CREATE TABLE's name and topic, past its leading comments", () => {
    const stmt =
      "-- paid_orders: the order; keyed\nCREATE TABLE IF NOT EXISTS `paid_orders` (\n  a INT\n) WITH ('connector' = 'kafka', 'topic' = 'p_paid_orders')";
    expect(tableOf(stmt)).toEqual({ table: 'paid_orders', topic: 'p_paid_orders' });
    expect(tableOf("SET 'table.exec.source.idle-timeout' = '5 s'")).toBeUndefined();
  });

  it("turns Flink's not-found messages for such a table into the topic's error", () => {
    const missing = [{ table: 'paid_orders', topic: 'p_paid_orders' }];
    const e = missingTopicError(
      "SQL validation failed. From line 1, column 22 to line 1, column 32: Object 'paid_orders' not found",
      missing,
      'p_',
    );
    expect(e?.code).toBe('ORDERFLOW_TOPIC_MISSING');
    expect(e?.message).toContain(
      'table paid_orders reads the Kafka topic p_paid_orders, which does not exist',
    );
    expect(e?.message).toContain('`orderflow topics`');
    expect(
      missingTopicError(
        "Source table '`default_catalog`.`default_database`.`paid_orders`' of the LIKE clause not found in the catalog",
        missing,
        'p_',
      )?.code,
    ).toBe('ORDERFLOW_TOPIC_MISSING');
    // Another table, or another error: Flink's own message stands.
    expect(missingTopicError("Object 'nope' not found", missing, 'p_')).toBeUndefined();
    expect(missingTopicError("Column 'paid_orders' not found in any table", missing, 'p_')).toBeUndefined();
  });
});
