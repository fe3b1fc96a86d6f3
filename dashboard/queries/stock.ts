import type { RangeWindow } from '../range.ts';
import { NO_DATA_MESSAGE, type Db } from '../warehouse-reader.ts';
import { n0, num, rangeRows, ratio } from './sql.ts';

/** What the stock tab answers when the shop's change stream has not landed any stock yet. */
export const NO_STOCK_MESSAGE = `${NO_DATA_MESSAGE} with the shop database streaming (the stock tab reads shop_stock and shop_stock_movements)`;

/** Whether the shop's change stream has landed any stock (the tab is "no data yet" until then). */
export async function hasStock(db: Db): Promise<boolean> {
  const [row] = await db.rows<{ present: boolean }>('select exists (select 1 from shop_stock) as present');
  return row?.present === true;
}

/**
 * Tab "stock": the shop database's stock as its change stream lands it (migrations 011, 012).
 * Current levels per product (summed over locations) are "now", whatever the range; the movements,
 * the units on hand at the end of each day and the restocks are those of the range.
 */
export async function stockTab(db: Db, range: RangeWindow) {
  const inRange = rangeRows(db, range);
  const products = await db.rows<{
    sku: number;
    name: string;
    locations: string;
    on_hand: string;
    reserved: string;
    available: string;
    reorder_point: string;
    below: boolean;
    backordered: string;
    days_of_cover: string | null;
    open_restocks: string;
  }>(
    `select sku, min(name) as name, count(*) as locations, sum(on_hand) as on_hand, sum(reserved) as reserved,
            sum(available) as available, max(reorder_point) as reorder_point,
            bool_or(below_reorder_point) as below, sum(backordered) as backordered,
            min(days_of_cover) as days_of_cover, sum(open_restocks) as open_restocks
       from metric_stock_levels
      group by sku
      order by bool_or(below_reorder_point) desc, sum(available), sku`,
  );
  const days = await inRange<{
    day: string;
    reserved: string | null;
    consumed: string | null;
    released: string | null;
    returned: string | null;
    restocked: string | null;
    backordered: string | null;
    on_hand: string;
  }>(
    `with moves as (
       select movement_day,
              sum(quantity) filter (where kind = 'reserve') as reserved,
              sum(quantity) filter (where kind = 'consume') as consumed,
              sum(quantity) filter (where kind = 'release') as released,
              sum(quantity) filter (where kind = 'return') as returned,
              sum(quantity) filter (where kind = 'restock') as restocked,
              sum(quantity) filter (where kind = 'backorder') as backordered,
              sum(on_hand_change) as on_hand_change
         from fact_stock_movement group by movement_day
     ), level as (
       select m.*, (select coalesce(sum(on_hand), 0) from shop_stock)
                   - coalesce(sum(on_hand_change) over (order by movement_day desc
                                rows between unbounded preceding and 1 preceding), 0) as closing
         from moves m
     )
     select to_char(d.day, 'YYYY-MM-DD') as day, l.reserved, l.consumed, l.released, l.returned, l.restocked,
            l.backordered,
            coalesce(l.closing,
                     (select coalesce(sum(on_hand), 0) from shop_stock)
                     - coalesce((select sum(on_hand_change) from moves where movement_day > d.day::date), 0)) as on_hand
       from generate_series($1::date, $2::date, interval '1 day') as d (day)
       left join level l on l.movement_day = d.day::date
      order by d.day`,
  );
  const restocks = await inRange<{
    restock_id: string;
    sku: number;
    name: string | null;
    location_id: string;
    quantity: number;
    status: string;
    ordered_day: string;
    expected_day: string;
    received_day: string | null;
    lead_time_days: string;
  }>(
    `select r.restock_id, r.sku, p.name, r.location_id, r.quantity, r.status,
            to_char(r.ordered_at at time zone 'Asia/Manila', 'YYYY-MM-DD') as ordered_day,
            to_char(r.expected_at at time zone 'Asia/Manila', 'YYYY-MM-DD') as expected_day,
            to_char(r.received_at at time zone 'Asia/Manila', 'YYYY-MM-DD') as received_day,
            round(r.lead_time_days::numeric, 1) as lead_time_days
       from fact_restock r left join shop_products p using (sku)
      where r.status = 'ordered' or r.ordered_day between $1::date and $2::date
      order by (r.status = 'ordered') desc, r.ordered_at desc, r.restock_id
      limit 50`,
  );
  const [restockTotals] = await inRange<{
    ordered: string;
    received: string;
    open: string;
    lead: string | null;
  }>(
    `select count(*) filter (where ordered_day between $1::date and $2::date) as ordered,
            count(*) filter (where (received_at at time zone 'Asia/Manila')::date between $1::date and $2::date) as received,
            count(*) filter (where status = 'ordered') as open,
            round(avg(extract(epoch from received_at - ordered_at) / 86400.0)
                  filter (where ordered_day between $1::date and $2::date and received_at is not null)::numeric, 1) as lead
       from fact_restock`,
  );

  // Price history (dim_product, SCD type 2, migration 019) of the product whose price changed most often in
  // the range (lowest SKU on a tie): every version in force at some time in the range.
  const priceHistory = await inRange<{
    sku: number;
    name: string | null;
    valid_from: string;
    valid_to: string | null;
    price: string;
    cost: string;
    margin_percent: string | null;
    change_reason: string;
    is_current: boolean;
  }>(
    `with inside as (
       select * from dim_product
        where coalesce(valid_to, 'infinity') > $1::date::timestamp at time zone 'Asia/Manila'
          and valid_from < ($2::date + 1)::timestamp at time zone 'Asia/Manila'
     ), chosen as (
       select sku from inside group by sku order by count(*) desc, sku limit 1
     )
     select i.sku, i.product_name as name,
            to_char(greatest(i.valid_from, i.effective_at) at time zone 'Asia/Manila', 'YYYY-MM-DD') as valid_from,
            to_char(i.valid_to at time zone 'Asia/Manila', 'YYYY-MM-DD') as valid_to,
            i.price, i.cost, i.margin_percent, i.change_reason, i.is_current
       from inside i join chosen using (sku)
      order by i.valid_from`,
  );

  const onHand = products.reduce((a, p) => a + n0(p.on_hand), 0);
  const consumed = days.reduce((a, d) => a + n0(d.consumed), 0);
  const backordered = days.reduce((a, d) => a + n0(d.backordered), 0);
  const demand = days.reduce((a, d) => a + n0(d.reserved) + n0(d.backordered), 0);
  return {
    tiles: {
      products: { value: products.length },
      onHand: { value: onHand },
      available: { value: products.reduce((a, p) => a + n0(p.available), 0) },
      lowStock: { value: products.filter((p) => p.below).length },
      openRestocks: { value: n0(restockTotals?.open) },
      backordered: { value: backordered },
      fillRate: { value: ratio(demand - backordered, demand) },
      leadTimeDays: { value: num(restockTotals?.lead) },
    },
    products: products.map((p) => ({
      sku: p.sku,
      name: p.name,
      locations: n0(p.locations),
      onHand: n0(p.on_hand),
      reserved: n0(p.reserved),
      available: n0(p.available),
      reorderPoint: n0(p.reorder_point),
      low: p.below,
      backordered: n0(p.backordered),
      daysOfCover: num(p.days_of_cover),
      openRestocks: n0(p.open_restocks),
    })),
    days: days.map((d) => ({
      day: d.day,
      reserved: n0(d.reserved),
      consumed: n0(d.consumed),
      released: n0(d.released),
      returned: n0(d.returned),
      restocked: n0(d.restocked),
      backordered: n0(d.backordered),
      onHand: n0(d.on_hand),
    })),
    consumed,
    priceHistory: priceHistory.map((v) => ({
      sku: v.sku,
      name: v.name,
      validFrom: v.valid_from,
      validTo: v.valid_to,
      price: num(v.price),
      cost: num(v.cost),
      marginPercent: num(v.margin_percent),
      reason: v.change_reason,
      current: v.is_current,
    })),
    restocks: {
      ordered: n0(restockTotals?.ordered),
      received: n0(restockTotals?.received),
      rows: restocks.map((r) => ({
        restockId: r.restock_id,
        sku: r.sku,
        name: r.name,
        location: r.location_id,
        quantity: r.quantity,
        status: r.status,
        orderedDay: r.ordered_day,
        expectedDay: r.expected_day,
        receivedDay: r.received_day,
        leadTimeDays: num(r.lead_time_days),
      })),
    },
  };
}
