import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import { COMPLEXITIES, type Complexity } from "../model/task.js";

/**
 * The complexity of a task whose subtree is `height` levels tall: 0 → `atomic` (a leaf),
 * 1 → `simple`, 2 → `moderate`, 3 → `complex`, 4 or more → `enterprise`.
 *
 * @param height - levels of decomposition below the task (a leaf has height 0)
 * @returns the matching complexity
 * @throws EchelonError `ECHELON_CONFIG_INVALID` when `height` is not a non-negative integer
 * @example
 * ```ts
 * complexityForHeight(0); // "atomic"
 * complexityForHeight(7); // "enterprise"
 * ```
 */
export function complexityForHeight(height: number): Complexity {
  if (!Number.isInteger(height) || height < 0) {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      `A subtree height must be a non-negative integer; got ${String(height)}. Pass the number of levels below the task (0 for a leaf).`,
      { details: { height: String(height) } },
    );
  }
  return COMPLEXITIES[Math.min(height, COMPLEXITIES.length - 1)]!;
}
