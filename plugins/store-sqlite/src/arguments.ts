import { EchelonError, type PruneOptions } from "@echelon/core";
import { SqliteErrorCode } from "./errors.js";

/** The error for a bad argument of a store method. */
export function argument(name: string, value: unknown, expected: string): EchelonError {
  return new EchelonError(
    SqliteErrorCode.OPTIONS_INVALID,
    `${name} must be ${expected}; got ${JSON.stringify(value) ?? String(value)}.`,
    { details: { option: name, value: String(value) } },
  );
}

/**
 * Checks the options of `prune`.
 *
 * @throws EchelonError `ECHELON_SQLITE_OPTIONS_INVALID` naming the bad one
 */
export function checkPruneOptions(options: PruneOptions): void {
  if (options === null || typeof options !== "object") throw argument("prune options", options, "an object");
  const { olderThanMs, keep } = options;
  if (olderThanMs !== undefined && (typeof olderThanMs !== "number" || !(olderThanMs >= 0)))
    throw argument("prune olderThanMs", olderThanMs, "a number ≥ 0");
  if (keep !== undefined && (!Number.isInteger(keep) || keep < 0))
    throw argument("prune keep", keep, "an integer ≥ 0");
}
