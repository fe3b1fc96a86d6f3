/**
 * Where customers live: the 99 local government units the shop delivers to, the 17 cities and
 * municipality of Metro Manila (ISO 3166-2 region code PH-00) and the 82 provinces (their own
 * ISO 3166-2:PH codes, Maguindanao split into del Norte and del Sur), in five weighted tiers.
 * The warehouse loads LOCATIONS as its location dimension.
 */
export type LocationTier = 'metro_manila' | 'large' | 'medium' | 'small' | 'poor';

export interface Location {
  lgu: string;
  provincial_code: string;
  tier: LocationTier;
}

/** Share of all orders that each tier receives; split evenly among the tier's LGUs. */
export const TIER_SHARES: Readonly<Record<LocationTier, number>> = {
  metro_manila: 0.04,
  large: 0.27,
  medium: 0.25,
  small: 0.32,
  poor: 0.12,
};

const METRO_MANILA = [
  'Caloocan',
  'Las Piñas',
  'Makati',
  'Malabon',
  'Mandaluyong',
  'Manila',
  'Marikina',
  'Muntinlupa',
  'Navotas',
  'Parañaque',
  'Pasay',
  'Pasig',
  'Pateros',
  'Quezon City',
  'San Juan',
  'Taguig',
  'Valenzuela',
];

/** [province, ISO 3166-2 code, tier] */
const PROVINCES: readonly (readonly [string, string, Exclude<LocationTier, 'metro_manila'>])[] = [
  ['Abra', 'PH-ABR', 'small'],
  ['Agusan del Norte', 'PH-AGN', 'small'],
  ['Agusan del Sur', 'PH-AGS', 'poor'],
  ['Aklan', 'PH-AKL', 'small'],
  ['Albay', 'PH-ALB', 'medium'],
  ['Antique', 'PH-ANT', 'small'],
  ['Apayao', 'PH-APA', 'small'],
  ['Aurora', 'PH-AUR', 'small'],
  ['Basilan', 'PH-BAS', 'poor'],
  ['Bataan', 'PH-BAN', 'medium'],
  ['Batanes', 'PH-BTN', 'small'],
  ['Batangas', 'PH-BTG', 'large'],
  ['Benguet', 'PH-BEN', 'medium'],
  ['Biliran', 'PH-BIL', 'small'],
  ['Bohol', 'PH-BOH', 'medium'],
  ['Bukidnon', 'PH-BUK', 'small'],
  ['Bulacan', 'PH-BUL', 'large'],
  ['Cagayan', 'PH-CAG', 'small'],
  ['Camarines Norte', 'PH-CAN', 'small'],
  ['Camarines Sur', 'PH-CAS', 'medium'],
  ['Camiguin', 'PH-CAM', 'small'],
  ['Capiz', 'PH-CAP', 'small'],
  ['Catanduanes', 'PH-CAT', 'small'],
  ['Cavite', 'PH-CAV', 'large'],
  ['Cebu', 'PH-CEB', 'large'],
  ['Cotabato', 'PH-NCO', 'small'],
  ['Davao de Oro', 'PH-COM', 'small'],
  ['Davao del Norte', 'PH-DAV', 'small'],
  ['Davao del Sur', 'PH-DAS', 'large'],
  ['Davao Occidental', 'PH-DVO', 'poor'],
  ['Davao Oriental', 'PH-DAO', 'small'],
  ['Dinagat Islands', 'PH-DIN', 'poor'],
  ['Eastern Samar', 'PH-EAS', 'poor'],
  ['Guimaras', 'PH-GUI', 'small'],
  ['Ifugao', 'PH-IFU', 'poor'],
  ['Ilocos Norte', 'PH-ILN', 'small'],
  ['Ilocos Sur', 'PH-ILS', 'small'],
  ['Iloilo', 'PH-ILI', 'large'],
  ['Isabela', 'PH-ISA', 'medium'],
  ['Kalinga', 'PH-KAL', 'small'],
  ['La Union', 'PH-LUN', 'medium'],
  ['Laguna', 'PH-LAG', 'large'],
  ['Lanao del Norte', 'PH-LAN', 'small'],
  ['Lanao del Sur', 'PH-LAS', 'poor'],
  ['Leyte', 'PH-LEY', 'medium'],
  ['Maguindanao del Norte', 'PH-MGN', 'poor'],
  ['Maguindanao del Sur', 'PH-MGS', 'poor'],
  ['Marinduque', 'PH-MAD', 'small'],
  ['Masbate', 'PH-MAS', 'poor'],
  ['Misamis Occidental', 'PH-MSC', 'small'],
  ['Misamis Oriental', 'PH-MSR', 'medium'],
  ['Mountain Province', 'PH-MOU', 'small'],
  ['Negros Occidental', 'PH-NEC', 'medium'],
  ['Negros Oriental', 'PH-NER', 'medium'],
  ['Northern Samar', 'PH-NSA', 'poor'],
  ['Nueva Ecija', 'PH-NUE', 'medium'],
  ['Nueva Vizcaya', 'PH-NUV', 'small'],
  ['Occidental Mindoro', 'PH-MDC', 'small'],
  ['Oriental Mindoro', 'PH-MDR', 'small'],
  ['Palawan', 'PH-PLW', 'medium'],
  ['Pampanga', 'PH-PAM', 'large'],
  ['Pangasinan', 'PH-PAN', 'large'],
  ['Quezon', 'PH-QUE', 'medium'],
  ['Quirino', 'PH-QUI', 'small'],
  ['Rizal', 'PH-RIZ', 'large'],
  ['Romblon', 'PH-ROM', 'small'],
  ['Samar', 'PH-WSA', 'poor'],
  ['Sarangani', 'PH-SAR', 'poor'],
  ['Siquijor', 'PH-SIG', 'small'],
  ['Sorsogon', 'PH-SOR', 'small'],
  ['South Cotabato', 'PH-SCO', 'medium'],
  ['Southern Leyte', 'PH-SLE', 'small'],
  ['Sultan Kudarat', 'PH-SUK', 'small'],
  ['Sulu', 'PH-SLU', 'poor'],
  ['Surigao del Norte', 'PH-SUN', 'small'],
  ['Surigao del Sur', 'PH-SUR', 'small'],
  ['Tarlac', 'PH-TAR', 'medium'],
  ['Tawi-Tawi', 'PH-TAW', 'poor'],
  ['Zambales', 'PH-ZMB', 'medium'],
  ['Zamboanga del Norte', 'PH-ZAN', 'poor'],
  ['Zamboanga del Sur', 'PH-ZAS', 'large'],
  ['Zamboanga Sibugay', 'PH-ZSI', 'small'],
];

export const LOCATIONS: readonly Location[] = Object.freeze([
  ...METRO_MANILA.map((lgu) =>
    Object.freeze({ lgu, provincial_code: 'PH-00', tier: 'metro_manila' as const }),
  ),
  ...PROVINCES.map(([lgu, provincial_code, tier]) => Object.freeze({ lgu, provincial_code, tier })),
]);

/** Each LGU's share of orders: its tier's share divided evenly among the tier's LGUs. */
export function locationWeights(locations: readonly Location[] = LOCATIONS): number[] {
  const counts = new Map<LocationTier, number>();
  for (const l of locations) counts.set(l.tier, (counts.get(l.tier) ?? 0) + 1);
  return locations.map((l) => TIER_SHARES[l.tier] / counts.get(l.tier)!);
}
