/**
 * Parse a decimal string with at most `scale` fraction digits into an integer of units
 * (cents for scale 2); NaN if it is not such a string. Fast path for the common fixed-scale form.
 */
export function parseScaled(value: string, scale = 2): number {
  const len = value.length;
  if (len === 0) return NaN;
  let i = 0;
  let negative = false;
  if (value.charCodeAt(0) === 45 /* - */) {
    negative = true;
    i = 1;
  }
  let n = 0;
  let digits = 0;
  let frac = -1;
  for (; i < len; i++) {
    const c = value.charCodeAt(i);
    if (c === 46 /* . */) {
      if (frac >= 0 || digits === 0) return NaN;
      frac = 0;
      continue;
    }
    if (c < 48 || c > 57) return NaN;
    n = n * 10 + (c - 48);
    digits++;
    if (frac >= 0) frac++;
  }
  if (digits === 0 || frac === 0 || frac > scale) return NaN;
  for (let f = frac < 0 ? 0 : frac; f < scale; f++) n *= 10;
  if (!Number.isSafeInteger(n)) return NaN;
  return negative ? -n : n;
}
