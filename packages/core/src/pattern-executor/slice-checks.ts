import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { TaskSlice } from "../model/task.js";
import type { PatternChild } from "../patterns/pattern.js";
import { ID_PATTERN } from "../plan/schema.js";

const EXECUTE_OPTION_KEYS: ReadonlySet<string> = new Set([
  "patternOptions",
  "signal",
  "runId",
  "input",
  "keepOutputs",
  "layout",
]);

/**
 * Refuses options `executePattern` does not know (a pattern option such as `reducer` passed at
 * the top level instead of under `patternOptions` would otherwise be silently ignored).
 *
 * @throws EchelonError `ECHELON_CONFIG_INVALID` naming the unknown keys
 */
export function checkExecuteOptions(options: object): void {
  if (typeof options !== "object" || options === null) {
    throw new EchelonError(CoreErrorCode.CONFIG_INVALID, "executePattern: options must be an object.");
  }
  const unknown = Object.keys(options).filter((k) => !EXECUTE_OPTION_KEYS.has(k));
  if (unknown.length > 0) {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      `executePattern: unknown option${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")}. Known: ${[...EXECUTE_OPTION_KEYS].join(", ")}; pattern options go under patternOptions ({ patternOptions: { ${unknown[0]}: … } }).`,
      { details: { unknown, known: [...EXECUTE_OPTION_KEYS] } },
    );
  }
}

/** Turns a slice into the child a pattern sees (for recommendation and option checks). */
export function sliceToChild(slice: TaskSlice): PatternChild {
  const metadata = slice.metadata ?? {};
  return {
    id: slice.sliceId,
    description: typeof metadata.description === "string" ? metadata.description : slice.sliceId,
    input: slice.content,
    dependsOn: slice.dependencies ?? [],
    capabilities: Array.isArray(metadata.capabilities) ? (metadata.capabilities as string[]) : [],
    priority: typeof metadata.priority === "number" ? metadata.priority : 0,
    composite: false,
    hasCompensation: metadata.compensate !== undefined,
    metadata,
  };
}

/**
 * Checks slices handed to the executor: an array of objects with unique non-empty `sliceId`s
 * whose `dependencies` name other slices.
 *
 * @throws EchelonError `ECHELON_CONFIG_INVALID` for a malformed list or duplicate id;
 *   `ECHELON_SPEC_INVALID` for a dependency on an unknown slice
 */
export function checkSlices(slices: readonly TaskSlice[]): void {
  if (!Array.isArray(slices)) {
    throw new EchelonError(CoreErrorCode.CONFIG_INVALID, "slices must be an array of TaskSlice objects.");
  }
  const ids = new Set<string>();
  slices.forEach((slice: TaskSlice | null | undefined, i) => {
    if (
      typeof slice !== "object" ||
      slice === null ||
      typeof slice.sliceId !== "string" ||
      slice.sliceId === ""
    ) {
      throw new EchelonError(CoreErrorCode.CONFIG_INVALID, `slices[${i}] needs a non-empty string sliceId.`, {
        details: { index: i },
      });
    }
    if (ids.has(slice.sliceId)) {
      throw new EchelonError(
        CoreErrorCode.CONFIG_INVALID,
        `slices[${i}].sliceId "${slice.sliceId}" is used twice. Give every slice a unique id.`,
        { details: { index: i, sliceId: slice.sliceId } },
      );
    }
    if (!ID_PATTERN.test(slice.sliceId) || slice.sliceId.endsWith(":compensate")) {
      throw new EchelonError(
        CoreErrorCode.CONFIG_INVALID,
        `slices[${i}].sliceId "${slice.sliceId.slice(0, 40)}" must be 1–128 letters, digits or _ . : - (no / or #, not ending in ":compensate").`,
        { details: { index: i, sliceId: slice.sliceId.slice(0, 200) } },
      );
    }
    ids.add(slice.sliceId);
  });
  slices.forEach((slice, i) => {
    const deps: readonly string[] = slice.dependencies ?? [];
    deps.forEach((dep, j) => {
      if (!ids.has(dep)) {
        throw new EchelonError(
          CoreErrorCode.SPEC_INVALID,
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
