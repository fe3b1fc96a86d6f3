/**
 * The shop's catalogue: 55 SKUs in three price tiers (SKU 1-22 PHP 25-850, 23-42 PHP 1,000-2,000,
 * 43-55 PHP 2,100-3,450), each with a unit cost giving a gross margin between 25% and 65%, a
 * popularity weight and the SKUs it is often bought with. The warehouse loads PRODUCTS as its
 * product reference table. Prices and costs are decimal strings in PHP.
 */
import { fromCents } from '../common/money.ts';

export interface Product {
  sku: number;
  name: string;
  category: string;
  /** List price, PHP, two decimals. */
  price: string;
  /** Unit cost, PHP, two decimals. */
  cost: string;
}

export interface CatalogueEntry extends Product {
  priceCents: number;
  costCents: number;
  /** Relative chance of being drawn as a basket line (cheap everyday goods sell more often). */
  popularity: number;
  /** SKUs commonly bought together with this one. */
  companions: readonly number[];
}

/** [sku, name, category, price in PHP, gross margin %, popularity] */
const ROWS: readonly (readonly [number, string, string, number, number, number])[] = [
  [1, 'Instant Pancit Canton 6-Pack', 'Pantry', 78, 28, 9],
  [2, '3-in-1 Coffee Mix 30 Sachets', 'Pantry', 189, 31, 9],
  [3, 'Dried Mangoes 200 g', 'Snacks', 120, 42, 7],
  [4, 'Jasmine Rice 5 kg', 'Pantry', 325, 25, 8],
  [5, 'Coconut Vinegar 1 L', 'Pantry', 45, 36, 6],
  [6, 'Sardines in Tomato Sauce 155 g', 'Pantry', 25, 27, 8],
  [7, 'Papaya Bath Soap 3-Pack', 'Personal Care', 99, 44, 7],
  [8, 'Anti-Dandruff Shampoo 340 ml', 'Personal Care', 185, 39, 7],
  [9, 'Toothpaste Twin Pack 150 g', 'Personal Care', 145, 35, 7],
  [10, 'Ballpen Box of 12', 'Office & School', 96, 52, 5],
  [11, 'Spiral Notebook 5-Pack', 'Office & School', 155, 48, 5],
  [12, 'Face Masks Box of 50', 'Health', 250, 57, 5],
  [13, 'Isopropyl Alcohol 70% 500 ml', 'Health', 89, 41, 6],
  [14, 'Dishwashing Liquid 1 L', 'Home Care', 135, 33, 6],
  [15, 'Laundry Powder 2 kg', 'Home Care', 285, 30, 6],
  [16, 'Shockproof Phone Case', 'Mobile Accessories', 199, 65, 6],
  [17, 'USB-C Charging Cable 1 m', 'Mobile Accessories', 249, 62, 6],
  [18, 'Tempered Glass Screen Protector', 'Mobile Accessories', 150, 64, 5],
  [19, 'Stainless Steel Tumbler 500 ml', 'Home & Kitchen', 450, 47, 4],
  [20, 'Non-Stick Frying Pan 24 cm', 'Home & Kitchen', 850, 40, 3],
  [21, 'Rubber Slippers', 'Fashion', 180, 55, 5],
  [22, 'Cotton Crew-Neck T-Shirt', 'Fashion', 350, 58, 5],
  [23, 'Rice Cooker 1.8 L', 'Appliances', 1499, 29, 3],
  [24, 'Stand Electric Fan 16-inch', 'Appliances', 1299, 27, 3],
  [25, 'Electric Kettle 1.7 L', 'Appliances', 1050, 34, 2.5],
  [26, 'Steam Iron', 'Appliances', 1150, 32, 2],
  [27, 'Blender 1.5 L', 'Appliances', 1899, 30, 2],
  [28, 'Power Bank 20,000 mAh', 'Mobile Accessories', 1199, 46, 3],
  [29, 'Wireless Earbuds', 'Audio', 1599, 51, 3],
  [30, 'Portable Bluetooth Speaker', 'Audio', 1799, 49, 2],
  [31, 'Running Shoes', 'Fashion', 1990, 54, 2],
  [32, 'Laptop Backpack 25 L', 'Fashion', 1250, 56, 2],
  [33, 'Slim-Fit Denim Jeans', 'Fashion', 1100, 60, 2],
  [34, 'Cookware Set 5-Piece', 'Home & Kitchen', 1950, 38, 1.5],
  [35, 'Queen Bedsheet Set', 'Home & Kitchen', 1000, 50, 2],
  [36, 'Yoga Mat with Strap', 'Sports & Outdoors', 1020, 53, 1.5],
  [37, 'Adjustable Dumbbell 10 kg', 'Sports & Outdoors', 1850, 37, 1.2],
  [38, 'Badminton Racket Pair', 'Sports & Outdoors', 1350, 45, 1.5],
  [39, 'Baby Diapers Jumbo Pack', 'Baby & Kids', 1080, 26, 3],
  [40, 'Infant Formula 1.6 kg', 'Baby & Kids', 1720, 25, 2],
  [41, 'Vitamin C 500 mg 100 Tablets', 'Health', 1150, 59, 2],
  [42, 'Dual-Band Wi-Fi Router', 'Electronics', 1999, 36, 1.5],
  [43, 'Air Fryer 4 L', 'Appliances', 2999, 33, 1.5],
  [44, 'Fitness Smartwatch', 'Electronics', 3450, 43, 1.2],
  [45, 'Mechanical Keyboard', 'Electronics', 2450, 48, 1],
  [46, 'Full HD Webcam', 'Electronics', 2100, 52, 1],
  [47, 'Noise-Cancelling Headphones', 'Audio', 3299, 45, 1],
  [48, 'Induction Cooker', 'Appliances', 2650, 31, 1],
  [49, 'Hot and Cold Water Dispenser', 'Appliances', 3199, 28, 0.8],
  [50, 'Action Camera 4K', 'Electronics', 3350, 41, 0.7],
  [51, 'Ergonomic Office Chair', 'Furniture', 3150, 39, 0.9],
  [52, 'Study Desk with Drawer', 'Furniture', 2890, 44, 0.8],
  [53, 'Foldable Baby Stroller', 'Baby & Kids', 3400, 35, 0.7],
  [54, 'Hair Dryer and Straightener Set', 'Personal Care', 2150, 61, 1],
  [55, 'Camping Tent 4-Person', 'Sports & Outdoors', 2780, 42, 0.6],
];

/** Co-purchase pairs: baskets that hold one of a pair often hold the other. */
const PAIRS: readonly (readonly [number, number])[] = [
  [1, 2],
  [1, 6],
  [2, 3],
  [4, 5],
  [5, 6],
  [4, 6],
  [7, 8],
  [8, 9],
  [7, 9],
  [10, 11],
  [12, 13],
  [14, 15],
  [16, 17],
  [16, 18],
  [17, 28],
  [19, 20],
  [20, 34],
  [21, 22],
  [22, 33],
  [23, 4],
  [25, 2],
  [26, 15],
  [27, 40],
  [29, 30],
  [29, 17],
  [31, 36],
  [31, 21],
  [32, 11],
  [33, 31],
  [35, 14],
  [36, 37],
  [38, 31],
  [39, 40],
  [39, 53],
  [41, 13],
  [42, 46],
  [43, 20],
  [44, 29],
  [45, 46],
  [45, 51],
  [47, 28],
  [48, 20],
  [49, 25],
  [50, 55],
  [51, 52],
  [54, 8],
  [24, 35],
  [3, 6],
];

function marginCost(priceCents: number, marginPercent: number): number {
  return Math.round((priceCents * (100 - marginPercent)) / 100);
}

export const CATALOGUE: readonly CatalogueEntry[] = Object.freeze(
  ROWS.map(([sku, name, category, pesos, margin, popularity]) => {
    const priceCents = pesos * 100;
    const costCents = marginCost(priceCents, margin);
    const companions = PAIRS.filter(([a, b]) => a === sku || b === sku).map(([a, b]) => (a === sku ? b : a));
    return Object.freeze({
      sku,
      name,
      category,
      price: fromCents(priceCents),
      cost: fromCents(costCents),
      priceCents,
      costCents,
      popularity,
      companions: Object.freeze(companions),
    });
  }),
);

/** The catalogue as the warehouse's products table wants it. */
export const PRODUCTS: readonly Product[] = Object.freeze(
  CATALOGUE.map(({ sku, name, category, price, cost }) =>
    Object.freeze({ sku, name, category, price, cost }),
  ),
);

/** The catalogue entry of a SKU (SKUs are 1..55, in order). */
export function productBySku(sku: number): CatalogueEntry {
  const p = CATALOGUE[sku - 1];
  if (!p || p.sku !== sku) throw new RangeError(`no product with SKU ${sku}`);
  return p;
}
