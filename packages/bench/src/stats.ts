/** Median with min and max of a list of samples. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Number of samples. */
  readonly n: number;
}

/**
 * The median of `values` (mean of the two middle values for an even count); `NaN` when empty.
 *
 * @param values - samples
 * @returns the median
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Median, min and max of `values`.
 *
 * @param values - samples
 * @returns the summary (`NaN`s when empty)
 */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

/**
 * Rounds to `digits` significant digits (for tables and JSON that people read).
 *
 * @param value - number to round
 * @param digits - significant digits, default 3
 * @returns the rounded number (non-finite values unchanged)
 */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const scale = 10 ** (digits - 1 - Math.floor(Math.log10(Math.abs(value))));
  return Math.round(value * scale) / scale;
}
