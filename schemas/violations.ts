/**
 * The violations one run of checkOrder (invariants.ts) collects, shared by its rule modules. A check
 * runs synchronously and never re-enters itself, so module-level state is safe and spares allocating
 * closures on every call; `found` stays null for a valid order, which allocates nothing.
 */

export interface Violation {
  /** The field (dotted path) the rule is about. */
  field: string;
  message: string;
}

const NONE: readonly Violation[] = Object.freeze([]);

let found: Violation[] | null = null;

/** Starts collecting the violations of one order. */
export function beginCheck(): void {
  found = null;
}

/** The violations collected since beginCheck (the shared frozen empty list when there are none). */
export function endCheck(): readonly Violation[] {
  const result = found ?? NONE;
  found = null;
  return result;
}

export function fail(field: string, message: string): void {
  (found ??= []).push({ field, message });
}

export function requireNull(field: string, value: unknown, why: string): void {
  if (value !== null) fail(field, `${field} must be null: ${why}`);
}

export function requireSet(field: string, value: unknown, why: string): void {
  if (value === null) fail(field, `${field} must be set: ${why}`);
}
