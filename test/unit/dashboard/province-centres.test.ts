import { describe, expect, it } from 'vitest';
import { MAP_BOUNDS, PROVINCE_CENTRES } from '../../../dashboard/web/src/province-centres.ts';
import { LOCATIONS } from '../../../reference/locations.ts';

describe('the location map', () => {
  it('has a centre for every province the generator delivers to, and no other', () => {
    const codes = new Set(LOCATIONS.map((l) => l.provincial_code));
    expect(Object.keys(PROVINCE_CENTRES).sort()).toEqual([...codes].sort());
  });

  it('puts every centre inside the frame', () => {
    for (const [code, [lat, lon]] of Object.entries(PROVINCE_CENTRES)) {
      expect(lat, code).toBeGreaterThan(MAP_BOUNDS.latMin);
      expect(lat, code).toBeLessThan(MAP_BOUNDS.latMax);
      expect(lon, code).toBeGreaterThan(MAP_BOUNDS.lonMin);
      expect(lon, code).toBeLessThan(MAP_BOUNDS.lonMax);
    }
  });

  it('keeps the archipelago the right way round', () => {
    const lat = (code: string) => PROVINCE_CENTRES[code]![0];
    const lon = (code: string) => PROVINCE_CENTRES[code]![1];
    const all = Object.keys(PROVINCE_CENTRES);
    // Batanes is the northernmost, Tawi-Tawi the southernmost, Palawan the westernmost and west of
    // Mindoro, Davao Oriental east of Davao del Sur, and Luzon's provinces north of Mindanao's.
    expect(all.reduce((a, c) => (lat(c) > lat(a) ? c : a))).toBe('PH-BTN');
    expect(all.reduce((a, c) => (lat(c) < lat(a) ? c : a))).toBe('PH-TAW');
    expect(all.reduce((a, c) => (lon(c) < lon(a) ? c : a))).toBe('PH-PLW');
    expect(lon('PH-PLW')).toBeLessThan(lon('PH-MDC'));
    expect(lon('PH-DAO')).toBeGreaterThan(lon('PH-DAS'));
    expect(lat('PH-PAN')).toBeGreaterThan(lat('PH-BUK'));
  });
});
