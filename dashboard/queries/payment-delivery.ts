import type { Db } from '../warehouse-reader.ts';
import type { DayWindow, RangeWindow } from '../range.ts';
import { manilaDays, n0, num, provinceIs, ratio } from './sql.ts';
import { tile } from './tile.ts';

/**
 * Tab "payment & delivery", over the orders placed in the range: hours to pay, ship and deliver
 * (averages over the orders that reached the step), method and express splits, on-time rate
 * (delivered with finished_date <= eta + 24 h, over delivered orders), and the failure funnel:
 * per stage, orders that entered it, and how many failed there, by reason. Online orders only: a
 * store order is paid and handed over at the till (the stores tab shows those).
 */
interface SummaryRow {
  orders: string;
  paid: string;
  shipped: string;
  delivered: string;
  on_time: string;
  avg_hours_to_pay: string | null;
  avg_hours_to_ship: string | null;
  avg_hours_to_deliver: string | null;
  credit_card: string;
  bank_transfer: string;
  digital_wallet: string;
  express: string;
  standard: string;
}

async function summary(db: Db, window: DayWindow, province: string | null) {
  const [r] = await db.rows<SummaryRow>(
    `select count(*) as orders,
            count(payment_date) as paid,
            count(shipped_date) as shipped,
            count(*) filter (where is_delivered) as delivered,
            count(*) filter (where is_on_time) as on_time,
            round(avg(hours_to_pay), 2) as avg_hours_to_pay,
            round(avg(hours_to_ship), 2) as avg_hours_to_ship,
            round(avg(hours_to_deliver), 2) as avg_hours_to_deliver,
            count(*) filter (where payment_method = 'CREDIT_CARD') as credit_card,
            count(*) filter (where payment_method = 'BANK_TRANSFER') as bank_transfer,
            count(*) filter (where payment_method = 'DIGITAL_WALLET') as digital_wallet,
            count(*) filter (where express_shipping) as express,
            count(*) filter (where not express_shipping) as standard
       from fact_orders
      where channel = 'online' and ${manilaDays('order_date', 1, 2)} and ${provinceIs('provincial_code', 3)}`,
    [window.from, window.to, province],
  );
  return r!;
}

const STAGES = ['payment', 'shipping', 'delivery'] as const;

export async function paymentDeliveryTab(db: Db, range: RangeWindow, province: string | null) {
  const now = await summary(db, range, province);
  const before = range.previous ? await summary(db, range.previous, province) : null;
  const onTime = (r: SummaryRow) => ratio(n0(r.on_time), n0(r.delivered));
  const params = [range.from, range.to, province];
  const failures = await db.rows<{ failure_stage: string; failure_reason: string | null; failed: string }>(
    `select failure_stage, coalesce(failure_reason, 'unknown') as failure_reason, count(*) as failed
       from fact_orders
      where failure_stage is not null and channel = 'online' and ${manilaDays('order_date', 1, 2)} and ${provinceIs('provincial_code', 3)}
      group by 1, 2
      order by 1, 3 desc, 2`,
    params,
  );
  const monthly = await db.rows<{
    month: string;
    delivered: string;
    on_time: string;
    avg_hours_to_pay: string | null;
    avg_hours_to_ship: string | null;
    avg_hours_to_deliver: string | null;
  }>(
    `select to_char(date_trunc('month', order_day), 'YYYY-MM-DD') as month,
            count(*) filter (where is_delivered) as delivered,
            count(*) filter (where is_on_time) as on_time,
            round(avg(hours_to_pay), 2) as avg_hours_to_pay,
            round(avg(hours_to_ship), 2) as avg_hours_to_ship,
            round(avg(hours_to_deliver), 2) as avg_hours_to_deliver
       from fact_orders
      where channel = 'online' and ${manilaDays('order_date', 1, 2)} and ${provinceIs('provincial_code', 3)}
      group by 1 order by 1`,
    params,
  );
  const entered: Record<(typeof STAGES)[number], number> = {
    payment: n0(now.orders),
    shipping: n0(now.paid),
    delivery: n0(now.shipped),
  };
  const funnel = STAGES.map((stage) => {
    const reasons = failures
      .filter((f) => f.failure_stage === stage)
      .map((f) => ({ reason: f.failure_reason ?? 'unknown', failed: n0(f.failed) }));
    const failed = reasons.reduce((a, r) => a + r.failed, 0);
    return { stage, entered: entered[stage], failed, failureRate: ratio(failed, entered[stage]), reasons };
  });
  return {
    tiles: {
      orders: tile(n0(now.orders), before ? n0(before.orders) : null),
      onTimeRate: tile(onTime(now), before ? onTime(before) : null),
      avgHoursToPay: tile(num(now.avg_hours_to_pay), before ? num(before.avg_hours_to_pay) : null),
      avgHoursToShip: tile(num(now.avg_hours_to_ship), before ? num(before.avg_hours_to_ship) : null),
      avgHoursToDeliver: tile(
        num(now.avg_hours_to_deliver),
        before ? num(before.avg_hours_to_deliver) : null,
      ),
    },
    delivered: n0(now.delivered),
    methods: [
      { method: 'Credit Card', orders: n0(now.credit_card) },
      { method: 'Bank Transfer', orders: n0(now.bank_transfer) },
      { method: 'Digital Wallet', orders: n0(now.digital_wallet) },
    ],
    shipping: [
      { kind: 'Express', orders: n0(now.express) },
      { kind: 'Standard', orders: n0(now.standard) },
    ],
    funnel,
    monthly: monthly.map((m) => ({
      month: m.month,
      delivered: n0(m.delivered),
      onTimeRate: ratio(n0(m.on_time), n0(m.delivered)),
      avgHoursToPay: num(m.avg_hours_to_pay),
      avgHoursToShip: num(m.avg_hours_to_ship),
      avgHoursToDeliver: num(m.avg_hours_to_deliver),
    })),
  };
}
