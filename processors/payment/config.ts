import { z } from 'zod';
import { bySpeed, range, rate, sumsToOne } from '../config-schema.ts';

/** How the payment stage decides an unpaid order's fate. Rates are fractions of the stage's input. */
export const paymentConfigSchema = z.object({
  /** Share of orders that get paid; the rest time out. */
  successRate: rate,
  /** Payment method shares among paid orders. */
  methods: z
    .object({ CREDIT_CARD: rate, BANK_TRANSFER: rate, DIGITAL_WALLET: rate })
    .refine((m) => sumsToOne(Object.values(m)), { message: 'payment method shares must add up to 1' }),
  /** At a store's till (channel store): how the customer pays, always at once (shares add up to 1). */
  tenders: z
    .object({ CASH: rate, DEBIT_CARD: rate, CREDIT_CARD: rate, DIGITAL_WALLET: rate })
    .refine((m) => sumsToOne(Object.values(m)), { message: 'tender shares must add up to 1' }),
  /** Share of paid orders paid at the moment of ordering (payment_date = order_date). */
  payAtOrderRate: rate,
  /** Otherwise payment_date = order_date + 1 s .. this many seconds. */
  maxPaymentDelaySeconds: z.number().int().positive(),
  /** An unpaid order times out this many days after order_date (its finished_date). */
  timeoutDays: z.number().int().positive(),
  /** eta = payment_date + whole days in the window of the order's speed + etaExtraHours. */
  etaDays: bySpeed,
  etaExtraHours: range,
});

export type PaymentConfig = z.infer<typeof paymentConfigSchema>;

/** The default rates and windows (docs/design.md section 5). */
export const PAYMENT_DEFAULT: PaymentConfig = {
  successRate: 0.77,
  methods: { CREDIT_CARD: 0.24, BANK_TRANSFER: 0.57, DIGITAL_WALLET: 0.19 },
  // Cash still leads at Philippine tills; e-wallets (GCash, Maya) have overtaken cards (BSP Status
  // of Digital Payments 2023: about half of retail payments by value were digital).
  tenders: { CASH: 0.46, DEBIT_CARD: 0.14, CREDIT_CARD: 0.12, DIGITAL_WALLET: 0.28 },
  payAtOrderRate: 0.63,
  maxPaymentDelaySeconds: 2 * 86400 + 23 * 3600 + 59 * 60 + 59, // 2 d 23:59:59
  timeoutDays: 7,
  etaDays: { express: { min: 3, max: 5 }, standard: { min: 5, max: 10 } },
  etaExtraHours: { min: 0, max: 23 },
};

/** The "historical" profile (see processors/profiles.ts for the arithmetic). */
export const PAYMENT_HISTORICAL: PaymentConfig = { ...PAYMENT_DEFAULT, successRate: 0.95 };
