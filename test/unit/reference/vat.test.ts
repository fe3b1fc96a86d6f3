import { describe, expect, it } from 'vitest';
import { includedVatCents, VAT_RULES, VatTable, type VatRule } from '../../../reference/vat.ts';
import { CATALOGUE } from '../../../reference/catalogue.ts';

describe('VAT rates from the tax-rate table', () => {
  const table = new VatTable();

  it('charges the standard 12% from 1 February 2006, 10% before, nothing before 1988', () => {
    expect(table.rateHundredths('PH-CEB', 'Appliances', '2025-06-01')).toBe(1200);
    expect(table.rateHundredths('PH-CEB', 'Appliances', '2006-02-01')).toBe(1200);
    expect(table.rateHundredths('PH-CEB', 'Appliances', '2006-01-31')).toBe(1000);
    expect(table.rateHundredths('PH-CEB', 'Appliances', '1987-12-31')).toBe(0);
  });

  it('exempts a category everywhere, and a province for every category, the most specific row winning', () => {
    expect(table.rateHundredths('PH-CEB', 'Pantry', '2025-06-01')).toBe(0);
    expect(table.rateHundredths('PH-ZMB', 'Fashion', '2025-06-01')).toBe(0);
    // Zambales appliances: the province row until 2026, then the province-and-category row.
    expect(table.rateHundredths('PH-ZMB', 'Appliances', '2025-12-31')).toBe(0);
    expect(table.rateHundredths('PH-ZMB', 'Appliances', '2026-01-01')).toBe(1200);
  });

  it('takes the latest row in force among equally specific ones', () => {
    const rules: VatRule[] = [
      { from: '2020-01-01', provincial_code: '*', category: '*', rate: '12.00', source: 'a' },
      { from: '2024-07-01', provincial_code: '*', category: '*', rate: '15.00', source: 'b' },
    ];
    const t = new VatTable(rules);
    expect(t.rateHundredths('PH-00', 'X', '2024-06-30')).toBe(1200);
    expect(t.rateHundredths('PH-00', 'X', '2024-07-01')).toBe(1500);
    expect(() => t.rateHundredths('PH-00', 'X', '2019-12-31')).toThrow(
      /no VAT rule in force for PH-00, X on 2019-12-31/,
    );
  });

  it('every row is a two-decimal percent with a source, and every category it names is in the catalogue', () => {
    const categories = new Set(CATALOGUE.map((p) => p.category));
    for (const rule of VAT_RULES) {
      expect(rule.rate).toMatch(/^\d{1,2}\.\d\d$/);
      expect(rule.source.length).toBeGreaterThan(10);
      if (rule.category !== '*') expect(categories).toContain(rule.category);
    }
  });
});

describe('VAT included in a VAT-inclusive amount', () => {
  it('is amount x rate / (100 + rate), rounded half away from zero to the centavo', () => {
    expect(includedVatCents(11200, 1200)).toBe(1200); // 112.00 holds 12.00
    expect(includedVatCents(149900, 1200)).toBe(16061); // 1499.00 x 12/112 = 160.607
    expect(includedVatCents(100, 1200)).toBe(11); // 1.00 x 12/112 = 0.107
    expect(includedVatCents(14, 1200)).toBe(2); // 0.14 x 12/112 = 0.015 -> 0.02 (half up)
    expect(includedVatCents(13, 1200)).toBe(1); // 0.013928 -> 0.01
    expect(includedVatCents(123456, 0)).toBe(0);
  });

  it('is exact for amounts too large for float arithmetic', () => {
    const cents = 2 ** 50; // x 1200 overflows 2^53
    const expected = Number((BigInt(cents) * 1200n * 2n + 11200n) / (2n * 11200n));
    expect(includedVatCents(cents, 1200)).toBe(expected);
  });
});
