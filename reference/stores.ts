/**
 * The shop's physical stores: where its till (store-channel) orders are placed. Each sits in a mall
 * or a main street of a large or medium province, opens and closes at whole local hours
 * (Asia/Manila), and draws a share of the store traffic (`weight`, busier flagship stores more).
 * The generator places a store order at a store that is open at the order's local time
 * (simulation/model/channel.ts); the warehouse loads STORES as its store dimension (dim_store).
 */
import { LOCATIONS } from './locations.ts';

export interface Store {
  /** ST-<province code without PH->-<nn>, e.g. ST-00-01 (Metro Manila's first store). */
  store_id: string;
  name: string;
  street_address: string;
  /** The LGU (Metro Manila city or province) it is in, as in reference/locations.ts. */
  lgu: string;
  provincial_code: string;
  /** Local hour (0-23) it opens, inclusive. */
  opens_hour: number;
  /** Local hour (1-24) it closes, exclusive: a store with 10 and 21 serves 10:00 to 20:59. */
  closes_hour: number;
  /** Relative share of store orders. */
  weight: number;
}

/** [store_id, name, street address, LGU, opens, closes, weight] */
const ROWS: readonly (readonly [string, string, string, string, number, number, number])[] = [
  ['ST-00-01', 'Orderflow Makati', 'Ground Floor, Glorietta 3, Ayala Center', 'Makati', 10, 22, 5],
  ['ST-00-02', 'Orderflow Quezon City', 'Level 2, SM North EDSA, North Avenue', 'Quezon City', 10, 22, 5],
  ['ST-00-03', 'Orderflow Pasig', 'Level 1, Robinsons Galleria, Ortigas Avenue', 'Pasig', 10, 21, 3],
  ['ST-00-04', 'Orderflow Taguig', 'Market! Market!, Bonifacio Global City', 'Taguig', 10, 21, 3],
  ['ST-CEB-01', 'Orderflow Cebu', 'Level 2, Ayala Center Cebu, Cebu Business Park', 'Cebu', 10, 21, 4],
  [
    'ST-DAS-01',
    'Orderflow Davao',
    'SM Lanang Premier, J.P. Laurel Avenue, Davao City',
    'Davao del Sur',
    10,
    21,
    3,
  ],
  [
    'ST-PAM-01',
    'Orderflow Pampanga',
    'SM City Pampanga, Jose Abad Santos Avenue, San Fernando',
    'Pampanga',
    10,
    21,
    2,
  ],
  [
    'ST-LAG-01',
    'Orderflow Santa Rosa',
    'Paseo de Santa Rosa, Greenfield City, Santa Rosa',
    'Laguna',
    9,
    21,
    2,
  ],
  ['ST-CAV-01', 'Orderflow Bacoor', 'SM City Bacoor, Aguinaldo Highway, Bacoor', 'Cavite', 10, 21, 2],
  [
    'ST-ILI-01',
    'Orderflow Iloilo',
    'Festive Walk Mall, Iloilo Business Park, Mandurriao',
    'Iloilo',
    10,
    21,
    2,
  ],
  ['ST-BEN-01', 'Orderflow Baguio', '12 Session Road, Baguio City', 'Benguet', 9, 20, 1],
  [
    'ST-MSR-01',
    'Orderflow Cagayan de Oro',
    'Centrio Mall, Corrales Avenue, Cagayan de Oro',
    'Misamis Oriental',
    10,
    21,
    2,
  ],
  ['ST-NEC-01', 'Orderflow Bacolod', 'The District North Point, Talisay', 'Negros Occidental', 10, 21, 1],
  [
    'ST-ZMB-01',
    'Orderflow Subic',
    'Harbor Point, Rizal Highway, Subic Bay Freeport Zone',
    'Zambales',
    10,
    21,
    1,
  ],
];

const CODES = new Map(LOCATIONS.map((l) => [l.lgu, l.provincial_code]));

export const STORES: readonly Store[] = Object.freeze(
  ROWS.map(([store_id, name, street_address, lgu, opens_hour, closes_hour, weight]) => {
    const provincial_code = CODES.get(lgu);
    if (provincial_code === undefined) throw new Error(`store ${store_id}: unknown LGU ${lgu}`);
    return Object.freeze({
      store_id,
      name,
      street_address,
      lgu,
      provincial_code,
      opens_hour,
      closes_hour,
      weight,
    });
  }),
);

const BY_ID = new Map(STORES.map((s) => [s.store_id, s]));

/** The store with this id, or undefined. */
export function storeById(id: string): Store | undefined {
  return BY_ID.get(id);
}

/** Is `store` open at local hour `hour` (0-23)? */
export function isOpen(store: Store, hour: number): boolean {
  return hour >= store.opens_hour && hour < store.closes_hour;
}
