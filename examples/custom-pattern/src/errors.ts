/**
 * Error codes raised by the hedged-requests pattern. Append-only; a code is never reused.
 */
export const HedgeErrorCode = {
  /** A hedging option has the wrong type or range (`hedgeAfterMs`, `maxHedges`). */
  OPTIONS_INVALID: "ECHELON_HEDGE_OPTIONS_INVALID",
} as const;

/** One of the hedging error codes. */
export type HedgeErrorCode = (typeof HedgeErrorCode)[keyof typeof HedgeErrorCode];
