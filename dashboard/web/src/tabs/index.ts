/** The analysis tabs, one module each; the page picks a tab's renderer by its name. */
export { customers } from './customers.ts';
export { funnel } from './funnel.ts';
export { items } from './items.ts';
export { location } from './location.ts';
export { orders } from './orders.ts';
export { paymentDelivery } from './payment-delivery.ts';
export { revenue } from './revenue.ts';
export { stock } from './stock.ts';
export { stores } from './stores.ts';
export { support } from './support.ts';
export type { Envelope, Rendered } from './tab.ts';
