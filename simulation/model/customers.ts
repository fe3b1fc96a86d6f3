/**
 * Who places each order. New customers get a Filipino identity and a location drawn by tier;
 * some join the repeat pool (they come back), and the most loyal are promoted into a small top
 * pool over time. Both pools grow with the order count. Customer ids are a run tag plus a
 * sequence number, so two customers never share an id, within a run or across runs. A returning customer sometimes moves or
 * switches email, which gives the warehouse's slowly-changing customer dimension its history.
 */
import { Faker, base, en } from '@faker-js/faker';
import type { CustomerInfo } from '../../schemas/types.generated.ts';
import type { GeneratorConfig } from '../config.ts';
import { LOCATIONS, locationWeights, type Location } from '../../reference/locations.ts';
import { BARANGAYS, STREETS, STREET_SUFFIXES, SURNAMES, filipinoLocale } from './filipino-locale.ts';
import { cumulative } from '../../common/draws.ts';
import { Random } from './random.ts';

export interface Customer {
  /** The customer's details as of their latest order (replaced, never mutated, on change). */
  info: CustomerInfo;
  orders: number;
  /** How many times the address or email changed. */
  changes: number;
}

export interface CustomerDraw {
  customer: Customer;
  returning: boolean;
}

const ID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export class CustomerBook {
  private readonly faker: Faker;
  private readonly locationCumulative = cumulative(locationWeights());
  private readonly repeatPool: Customer[] = [];
  private readonly topPool: Customer[] = [];
  private readonly runTag: string;
  private nextSeq = 1;

  /**
   * `runKey` names the run (the generator passes its start time): customer ids carry a tag drawn
   * from (seed, runKey), so two runs that start at different times (a backfill, then a live run
   * with the same seed) never hand the same id to two different people.
   */
  constructor(
    private readonly config: GeneratorConfig,
    private readonly rng: Random,
    runKey = '',
  ) {
    this.faker = new Faker({ locale: [filipinoLocale, en, base] });
    this.faker.seed(rng.int(0, 0x7fffffff));
    const tagRng = new Random(config.seed, `customer-tag/${runKey}`);
    let tag = '';
    for (let i = 0; i < 6; i++) tag += ID_ALPHABET[tagRng.int(0, 31)];
    this.runTag = tag;
  }

  get repeatPoolSize(): number {
    return this.repeatPool.length;
  }

  get topPoolSize(): number {
    return this.topPool.length;
  }

  /** The customer of the next order; `orderCount` is how many orders came before it. */
  next(orderCount: number): CustomerDraw {
    const c = this.config.customers;
    if (
      orderCount > 0 &&
      orderCount % c.topPromotionEvery === 0 &&
      this.repeatPool.length > this.topPool.length
    ) {
      this.promote();
    }
    if (this.repeatPool.length > 0 && this.rng.chance(c.returningOrderShare)) {
      const pool =
        this.topPool.length > 0 && this.rng.chance(c.topCustomerShare) ? this.topPool : this.repeatPool;
      const customer = this.rng.pick(pool);
      this.maybeChange(customer);
      customer.orders++;
      return { customer, returning: true };
    }
    const customer: Customer = { info: this.newIdentity(), orders: 1, changes: 0 };
    if (this.rng.chance(c.repeatPoolJoinRate)) this.repeatPool.push(customer);
    return { customer, returning: false };
  }

  private promote(): void {
    // Up to a few tries for a repeat customer not already at the top.
    for (let i = 0; i < 5; i++) {
      const candidate = this.rng.pick(this.repeatPool);
      if (!this.topPool.includes(candidate)) {
        this.topPool.push(candidate);
        return;
      }
    }
  }

  private maybeChange(customer: Customer): void {
    const c = this.config.customers;
    let info = customer.info;
    if (this.rng.chance(c.moveRate)) {
      const location = this.rng.chance(c.moveToOtherLguShare) ? this.drawLocation() : null;
      info = {
        ...info,
        street_address: this.streetAddress(),
        ...(location ? { lgu: location.lgu, provincial_code: location.provincial_code } : {}),
      };
    }
    if (this.rng.chance(c.emailChangeRate)) {
      const [first, ...rest] = info.customer_name.split(' ');
      info = { ...info, email: this.email(first!, rest.join(' ')) };
    }
    if (info !== customer.info) {
      customer.info = info;
      customer.changes++;
    }
  }

  private drawLocation(): Location {
    return LOCATIONS[this.rng.weightedIndex(this.locationCumulative)]!;
  }

  private email(firstName: string, lastName: string): string {
    return this.faker.internet
      .email({ firstName: firstName.replaceAll(' ', ''), lastName: lastName.replaceAll(' ', '') })
      .toLowerCase();
  }

  /**
   * "12 Rizal Street, Brgy. San Isidro" or "Blk 4 Lot 17 Narra Avenue, Brgy. Bagong Silang", drawn
   * straight from the locale's lists (Faker's template engine is the generator's slowest part).
   */
  private streetAddress(): string {
    const f = this.faker;
    const pick = f.helpers.arrayElement.bind(f.helpers);
    const number =
      f.number.int(4) === 0
        ? `Blk ${f.number.int({ min: 1, max: 40 })} Lot ${f.number.int({ min: 1, max: 60 })}`
        : String(f.number.int({ min: 1, max: 9999 }));
    return `${number} ${pick(STREETS)} ${pick(STREET_SUFFIXES)}, Brgy. ${pick(BARANGAYS)}`;
  }

  private newIdentity(): CustomerInfo {
    const f = this.faker;
    const firstName = f.person.firstName();
    const lastName = f.helpers.arrayElement(SURNAMES);
    const location = this.drawLocation();
    const seq = this.nextSeq++;
    return {
      customer_id: `C-${this.runTag}-${String(seq).padStart(7, '0')}`,
      customer_name: `${firstName} ${lastName}`,
      company: f.company.name(),
      email: this.email(firstName, lastName),
      street_address: this.streetAddress(),
      lgu: location.lgu,
      provincial_code: location.provincial_code,
      contact_number: f.phone.number({ style: 'human' }),
    };
  }
}
