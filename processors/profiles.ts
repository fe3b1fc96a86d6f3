import { DELIVERY_DEFAULT, DELIVERY_HISTORICAL, type DeliveryConfig } from './delivery/config.ts';
import { PAYMENT_DEFAULT, PAYMENT_HISTORICAL, type PaymentConfig } from './payment/config.ts';
import { SHIPPING_DEFAULT, SHIPPING_HISTORICAL, type ShippingConfig } from './shipping/config.ts';

export interface StageConfigs {
  payment: PaymentConfig;
  shipping: ShippingConfig;
  delivery: DeliveryConfig;
}

/**
 * Named profiles: one config per stage.
 *
 * default: the per-stage rates of docs/design.md section 5. Overall: timed out 23%; shipping-cancelled
 * 0.77 x 0.05 = 3.85%; shipped 0.77 x 0.95 = 73.15%, of which cancelled 3.5% (2.56%), returned
 * 1.5% (1.10%), delivered 95% (69.49%).
 *
 * historical: calibrated to the reference's backfill mix (~92% delivered, 5% timed out, 1.8%
 * cancelled, 0.9% returned; those add up to 99.7%, the remaining 0.3% is left with delivered):
 *   payment success p = 1 - 0.05                                   = 0.95     -> timed out 5.00%
 *   shipping success s = 0.99: cancelled at shipping p x 0.01      = 0.0095   -> 0.95%
 *   shipped p x s                                                  = 0.9405
 *   delivery cancelled c: 0.9405 x c = 0.018 - 0.0095 = 0.0085, c = 0.0090 -> 0.846%
 *   delivery returned r:  0.9405 x r = 0.009,        r = 0.0095 (rounded) -> 0.893%
 *   delivered 0.9405 x (1 - 0.009 - 0.0095)                        = 0.9231   -> 92.31%
 *   cancelled overall 0.95% + 0.846%                               = 1.80%
 */
export const PROFILES: Record<'default' | 'historical', StageConfigs> = {
  default: { payment: PAYMENT_DEFAULT, shipping: SHIPPING_DEFAULT, delivery: DELIVERY_DEFAULT },
  historical: { payment: PAYMENT_HISTORICAL, shipping: SHIPPING_HISTORICAL, delivery: DELIVERY_HISTORICAL },
};

export type ProfileName = keyof typeof PROFILES;
export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];
