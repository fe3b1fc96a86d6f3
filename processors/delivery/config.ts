import { z } from 'zod';
import { range, rate } from '../config-schema.ts';

/**
 * How the delivery stage decides a shipped order's fate. Rates are fractions of the stage's input;
 * what is neither cancelled nor returned is delivered.
 */
export const deliveryConfigSchema = z
  .object({
    /** Share of shipped orders cancelled in transit. */
    cancelledRate: rate,
    /** Share of shipped orders delivered and then returned. */
    returnedRate: rate,
    /** Delivery (finished_date) = eta + hours in this range, never before shipped_date. */
    deliveryHoursFromEta: range,
    /** A returned order's finished_date = its delivery date + days in this range. */
    returnDays: range,
  })
  .refine((c) => c.cancelledRate + c.returnedRate <= 1, {
    message: 'cancelled + returned must not exceed 1',
  });

export type DeliveryConfig = z.infer<typeof deliveryConfigSchema>;

/** docs/design.md section 5: 95% delivered, 3.5% cancelled, 1.5% returned. */
export const DELIVERY_DEFAULT: DeliveryConfig = {
  cancelledRate: 0.035,
  returnedRate: 0.015,
  deliveryHoursFromEta: { min: -48, max: 36 },
  returnDays: { min: 1, max: 7 },
};

/** The "historical" profile (see processors/profiles.ts for the arithmetic). */
export const DELIVERY_HISTORICAL: DeliveryConfig = {
  ...DELIVERY_DEFAULT,
  cancelledRate: 0.009,
  returnedRate: 0.0095,
};
