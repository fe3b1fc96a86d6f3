import { z } from 'zod';
import { bySpeed, range, rate } from '../config-schema.ts';

/** How the shipping stage decides a paid order's fate. Rates are fractions of the stage's input. */
export const shippingConfigSchema = z.object({
  /** Share of paid orders that ship; the rest are cancelled before shipping. */
  successRate: rate,
  /** shipped_date = payment_date + hours in the window of the order's speed (uniform to the second). */
  shipHours: bySpeed,
  /** A cancelled order's finished_date = payment_date + hours in this range. */
  cancelHours: range,
});

export type ShippingConfig = z.infer<typeof shippingConfigSchema>;

/** The default rates and windows (docs/design.md section 5). */
export const SHIPPING_DEFAULT: ShippingConfig = {
  successRate: 0.95,
  shipHours: { express: { min: 12, max: 36 }, standard: { min: 24, max: 60 } },
  cancelHours: { min: 6, max: 54 },
};

/** The "historical" profile (see processors/profiles.ts for the arithmetic). */
export const SHIPPING_HISTORICAL: ShippingConfig = { ...SHIPPING_DEFAULT, successRate: 0.99 };
