import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { TaskSlice } from "../model/task.js";

/**
 * Checks slices handed to the executor: an array of objects with unique non-empty `sliceId`s
 * whose `dependencies` name other slices.
 *
 * @throws EchelonError `ECHELON_CONFIG_INVALID` for a malformed list or duplicate id;
 *   `ECHELON_SPEC_INVALID` for a dependency on an unknown slice
 */
export function checkSlices(slices: readonly TaskSlice[]): void {
  if (!Array.isArray(slices)) {
    throw new EchelonError(CoreErrorCode.INVALID_CONFIG, "slices must be an array of TaskSlice objects.");
  }
  const ids = new Set<string>();
  slices.forEach((slice: TaskSlice | null | undefined, i) => {
    if (
      typeof slice !== "object" ||
      slice === null ||
      typeof slice.sliceId !== "string" ||
      slice.sliceId === ""
    ) {
      throw new EchelonError(CoreErrorCode.INVALID_CONFIG, `slices[${i}] needs a non-empty string sliceId.`, {
        details: { index: i },
      });
    }
    if (ids.has(slice.sliceId)) {
      throw new EchelonError(
        CoreErrorCode.INVALID_CONFIG,
        `slices[${i}].sliceId "${slice.sliceId}" is used twice. Give every slice a unique id.`,
        { details: { index: i, sliceId: slice.sliceId } },
      );
    }
    ids.add(slice.sliceId);
  });
  slices.forEach((slice, i) => {
    const deps: readonly string[] = slice.dependencies ?? [];
    deps.forEach((dep, j) => {
      if (!ids.has(dep)) {
        throw new EchelonError(
          CoreErrorCode.INVALID_SPEC,
          `slices[${i}].dependencies[${j}]: unknown slice "${dep}". Depend only on slices in the same call.`,
          {
            details: {
              issues: [{ path: `slices[${i}].dependencies[${j}]`, message: `unknown slice "${dep}"` }],
            },
          },
        );
      }
    });
  });
}
