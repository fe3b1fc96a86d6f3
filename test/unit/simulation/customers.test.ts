import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, makeConfig } from '../../../simulation/config.ts';
import { LOCATIONS } from '../../../reference/locations.ts';
import { CustomerBook } from '../../../simulation/model/customers.ts';
import { Random } from '../../../simulation/model/random.ts';

function run(n: number, config = DEFAULT_CONFIG, seed = 1) {
  const book = new CustomerBook(config, new Random(seed, 'customers'));
  const draws = Array.from({ length: n }, (_, i) => book.next(i));
  return { book, draws };
}

describe('customers', () => {
  it('new customers get a full Filipino identity and a real LGU', () => {
    const { draws } = run(50);
    const info = draws[0]!.customer.info;
    expect(info.customer_id).toMatch(/^C-[0-9A-Z]{6}-\d{7}$/);
    expect(info.customer_name).toMatch(/^\S.* \S+/);
    expect(info.company.length).toBeGreaterThan(3);
    expect(info.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z.]+$/);
    expect(info.street_address).toMatch(/Brgy\. /);
    expect(info.contact_number).toMatch(
      /^(09\d{2} \d{3} \d{4}|\+63 9\d{2} \d{3} \d{4}|\(02\) 8\d{3} \d{4})$/,
    );
    const lgu = LOCATIONS.find((l) => l.lgu === info.lgu);
    expect(lgu?.provincial_code).toBe(info.provincial_code);
  });

  it('ids never collide: one id per distinct customer, sequence numbers unique', () => {
    const { draws } = run(20_000);
    const byId = new Map<string, object>();
    for (const { customer } of draws) {
      const seen = byId.get(customer.info.customer_id);
      if (seen) expect(seen).toBe(customer);
      else byId.set(customer.info.customer_id, customer);
    }
    const newOnes = draws.filter((d) => !d.returning).length;
    expect(byId.size).toBe(newOnes);
  });

  it('repeat and top pools grow with the order count', () => {
    const book = new CustomerBook(DEFAULT_CONFIG, new Random(2, 'customers'));
    const sizes: [number, number][] = [];
    for (let i = 0; i < 10_000; i++) {
      book.next(i);
      if ((i + 1) % 2500 === 0) sizes.push([book.repeatPoolSize, book.topPoolSize]);
    }
    for (let k = 1; k < sizes.length; k++) {
      expect(sizes[k]![0]).toBeGreaterThan(sizes[k - 1]![0]);
      expect(sizes[k]![1]).toBeGreaterThan(sizes[k - 1]![1]);
    }
    expect(sizes[3]![1]).toBe(39); // promoted every 250 orders (not at order 0)
  });

  it('returning orders come at the configured share (seed 3, 20k orders, 42% +- 2)', () => {
    const { draws } = run(20_000, DEFAULT_CONFIG, 3);
    const share = draws.filter((d) => d.returning).length / draws.length;
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.44);
  });

  it('a customer who moves gets a new address (and sometimes a new LGU); an email change keeps the id', () => {
    const config = makeConfig({
      customers: {
        moveRate: 1,
        emailChangeRate: 1,
        moveToOtherLguShare: 1,
        returningOrderShare: 1,
        repeatPoolJoinRate: 1,
      },
    });
    const book = new CustomerBook(config, new Random(4, 'customers'));
    const first = book.next(0).customer;
    const before = first.info;
    const again = book.next(1);
    expect(again.returning).toBe(true);
    expect(again.customer).toBe(first);
    expect(first.info).not.toBe(before); // replaced, never mutated
    expect(first.info.customer_id).toBe(before.customer_id);
    expect(first.info.customer_name).toBe(before.customer_name);
    expect(first.info.street_address).not.toBe(before.street_address);
    expect(first.changes).toBe(1);
  });

  it('with change rates at 0, a returning customer is exactly as before', () => {
    const config = makeConfig({
      customers: { moveRate: 0, emailChangeRate: 0, returningOrderShare: 1, repeatPoolJoinRate: 1 },
    });
    const book = new CustomerBook(config, new Random(4, 'customers'));
    const first = book.next(0).customer;
    const info = first.info;
    for (let i = 1; i < 50; i++) book.next(i);
    expect(first.info).toBe(info);
    expect(first.orders).toBeGreaterThan(1);
  });

  it('default rates give repeat customers history for SCD type 2 (seed 5, 20k orders)', () => {
    const { draws } = run(20_000, DEFAULT_CONFIG, 5);
    const changed = new Set(
      draws.filter((d) => d.customer.changes > 0).map((d) => d.customer.info.customer_id),
    );
    expect(changed.size).toBeGreaterThan(100);
  });

  it('runs with the same seed but different start times use different id tags', () => {
    const tag = (runKey: string): string =>
      new CustomerBook(DEFAULT_CONFIG, new Random(1, 'customers'), runKey)
        .next(0)
        .customer.info.customer_id.slice(0, 8);
    expect(tag('1700000000000')).toBe(tag('1700000000000'));
    expect(tag('1700000000000')).not.toBe(tag('1800000000000'));
  });

  it('same seed, same customers', () => {
    const a = run(500, DEFAULT_CONFIG, 6).draws.map((d) => JSON.stringify(d.customer.info));
    const b = run(500, DEFAULT_CONFIG, 6).draws.map((d) => JSON.stringify(d.customer.info));
    expect(a).toEqual(b);
    const c = run(500, DEFAULT_CONFIG, 7).draws.map((d) => JSON.stringify(d.customer.info));
    expect(c).not.toEqual(a);
  });
});
