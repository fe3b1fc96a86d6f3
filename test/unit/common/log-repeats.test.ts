import { describe, expect, it } from 'vitest';
import { RepeatFilter, repeatKey } from '../../../common/log-repeats.ts';

describe('repeated client log lines', () => {
  it('lines that differ only in numbers and the thread are the same kind', () => {
    expect(repeatKey('[thrd:127.0.0.1:9092/1]: Connect to ipv4#127.0.0.1:9092 failed (after 3ms)')).toBe(
      repeatKey('[thrd:main]: Connect to ipv4#127.0.0.1:9092 failed (after 12ms)'),
    );
    expect(repeatKey('all broker connections are down')).not.toBe(repeatKey('Broker: Not coordinator'));
  });

  it('logs the first, counts the rest for a minute, then logs one with the count', () => {
    let now = 0;
    const f = new RepeatFilter(60_000, () => now);
    expect(f.admit('all broker connections are down')).toBe(0);
    for (const t of [2_000, 5_000, 59_000]) {
      now = t;
      expect(f.admit('all broker connections are down')).toBeUndefined();
    }
    now = 61_000;
    expect(f.admit('all broker connections are down')).toBe(3);
    // Another kind of line is not held back by the first.
    expect(f.admit('Broker: Not coordinator')).toBe(0);
    now = 200_000;
    expect(f.admit('all broker connections are down')).toBe(0);
  });
});
