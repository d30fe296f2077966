import { EchelonError } from "@echelon/core";
import { HedgeErrorCode } from "./errors.js";

/** Options of one hedged run. */
export interface HedgeOptions {
  /** Wait this long for an answer before starting a backup attempt, in milliseconds. Default 50. */
  readonly hedgeAfterMs?: number;
  /** Most backup attempts per child (so at most `1 + maxHedges` attempts). Default 1. */
  readonly maxHedges?: number;
}

/** Options after defaults and checks. */
export interface ResolvedHedgeOptions {
  readonly hedgeAfterMs: number;
  readonly maxHedges: number;
}

/**
 * Checks and completes hedging options.
 *
 * @throws EchelonError `ECHELON_HEDGE_OPTIONS_INVALID` naming the option to fix
 */
export function resolveHedgeOptions(raw: Readonly<Record<string, unknown>>): ResolvedHedgeOptions {
  const { hedgeAfterMs = 50, maxHedges = 1 } = raw;
  if (typeof hedgeAfterMs !== "number" || !Number.isFinite(hedgeAfterMs) || hedgeAfterMs < 0) {
    throw new EchelonError(
      HedgeErrorCode.OPTIONS_INVALID,
      `hedged: hedgeAfterMs must be a finite number ≥ 0, got ${JSON.stringify(hedgeAfterMs)}.`,
      { details: { option: "hedgeAfterMs" } },
    );
  }
  if (typeof maxHedges !== "number" || !Number.isInteger(maxHedges) || maxHedges < 0) {
    throw new EchelonError(
      HedgeErrorCode.OPTIONS_INVALID,
      `hedged: maxHedges must be an integer ≥ 0, got ${JSON.stringify(maxHedges)}.`,
      { details: { option: "maxHedges" } },
    );
  }
  return { hedgeAfterMs, maxHedges };
}
