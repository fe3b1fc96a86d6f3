/**
 * Value-added tax, as the shop charges it: prices are VAT-inclusive (as the Philippines requires
 * of retail prices), so a line's VAT is the part of its subtotal that is tax:
 * round(subtotal x rate / (100 + rate), 2), half away from zero, in whole centavos.
 *
 * The rate of a line comes from a tax-rate table with effective dates. A row applies to one
 * province (ISO 3166-2 code, or '*') and one category (or '*'); of the rows in force on the day
 * (local date, Asia/Manila), the most specific wins (province and category over category over
 * province over the general rate), then the latest effective date. The province is where the sale
 * is made: the customer's delivery province online, the store's province at the till.
 */
import { toBasisHundredths } from '../common/money.ts';

export interface VatRule {
  /** First local day (YYYY-MM-DD) the rule is in force. */
  from: string;
  provincial_code: string | '*';
  category: string | '*';
  /** Percent, two decimals ("12.00"; "0.00" = exempt or zero-rated). */
  rate: string;
  /** Where the rule comes from. */
  source: string;
}

export const VAT_RULES: readonly VatRule[] = Object.freeze([
  {
    from: '0001-01-01',
    provincial_code: '*',
    category: '*',
    rate: '0.00',
    source: 'No VAT before EO 273 introduced it on 1 January 1988',
  },
  {
    from: '1988-01-01',
    provincial_code: '*',
    category: '*',
    rate: '10.00',
    source: 'EO 273 (1987): VAT at 10% from 1 January 1988',
  },
  {
    from: '2006-02-01',
    provincial_code: '*',
    category: '*',
    rate: '12.00',
    source: 'RA 9337 (2005): the standard VAT rate rises from 10% to 12% on 1 February 2006',
  },
  {
    from: '2018-01-01',
    provincial_code: '*',
    category: 'Pantry',
    rate: '0.00',
    source:
      'NIRC Sec. 109(1)(A), as amended by RA 10963 (TRAIN): sales of basic food staples are VAT-exempt. ' +
      'Simplification: the whole Pantry category is treated as exempt staples',
  },
  {
    from: '2006-02-01',
    provincial_code: 'PH-ZMB',
    category: '*',
    rate: '0.00',
    source:
      'RA 7227 (Subic Bay Freeport): sales inside the freeport are VAT-free. Simplification: the ' +
      'whole province of Zambales is treated as inside it',
  },
  {
    from: '2026-01-01',
    provincial_code: 'PH-ZMB',
    category: 'Appliances',
    rate: '12.00',
    source:
      'Simulated scenario, not law: from 2026 appliances sold in Zambales pay the standard rate, so ' +
      'that a rate change falls inside the default two-year window',
  },
]);

const SPECIFICITY = (r: VatRule): number =>
  (r.category !== '*' ? 2 : 0) + (r.provincial_code !== '*' ? 1 : 0);

/** A rate lookup over `rules`, memoized per (province, local day), then per category. */
export class VatTable {
  private readonly cache = new Map<string, Map<string, number>>();
  private readonly rules: readonly (VatRule & { hundredths: number })[];

  constructor(rules: readonly VatRule[] = VAT_RULES) {
    this.rules = [...rules]
      .map((r) => ({ ...r, hundredths: toBasisHundredths(r.rate) }))
      .sort((a, b) => SPECIFICITY(b) - SPECIFICITY(a) || (a.from < b.from ? 1 : a.from > b.from ? -1 : 0));
  }

  /** The rate in hundredths of a percent (1200 = 12.00%) on local day `day` (YYYY-MM-DD). */
  rateHundredths(provincialCode: string, category: string, day: string): number {
    return this.ratesFor(provincialCode, day)(category);
  }

  /**
   * The rates of one province on one day, by category: what an order needs, looked up once per
   * order rather than once per line.
   */
  ratesFor(provincialCode: string, day: string): (category: string) => number {
    const key = `${provincialCode}|${day}`;
    let byCategory = this.cache.get(key);
    if (byCategory === undefined) {
      byCategory = new Map();
      this.cache.set(key, byCategory);
    }
    const known = byCategory;
    return (category) => {
      let rate = known.get(category);
      if (rate === undefined) {
        const rule = this.rules.find(
          (r) =>
            r.from <= day &&
            (r.provincial_code === '*' || r.provincial_code === provincialCode) &&
            (r.category === '*' || r.category === category),
        );
        if (rule === undefined)
          throw new Error(`no VAT rule in force for ${provincialCode}, ${category} on ${day}`);
        rate = rule.hundredths;
        known.set(category, rate);
      }
      return rate;
    };
  }
}

/** VAT included in a VAT-inclusive amount: round(cents x rate / (10000 + rate)), half away from zero. */
export function includedVatCents(grossCents: number, rateHundredths: number): number {
  const numerator = grossCents * rateHundredths;
  const denominator = 10000 + rateHundredths;
  if (Number.isSafeInteger(numerator)) {
    const q = Math.floor(numerator / denominator);
    return (numerator - q * denominator) * 2 >= denominator ? q + 1 : q;
  }
  const n = BigInt(grossCents) * BigInt(rateHundredths);
  const d = BigInt(denominator);
  return Number((n * 2n + d) / (2n * d));
}
