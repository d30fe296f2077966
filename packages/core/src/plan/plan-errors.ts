import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import { formatSpecIssues, type SpecIssue } from "./issues.js";
import { displayPath } from "./paths.js";

/** What is being validated, for messages. @internal */
export type Subject = "task spec" | "plan";

/** `ECHELON_SPEC_INVALID` listing every issue. @internal */
export function specInvalid(subject: Subject, issues: readonly SpecIssue[]): EchelonError {
  const n = issues.length;
  return new EchelonError(
    CoreErrorCode.SPEC_INVALID,
    `The ${subject} is invalid (${n} issue${n === 1 ? "" : "s"}):\n${formatSpecIssues(issues)}\nFix these fields and try again.`,
    { details: { issues: [...issues] } },
  );
}

/** `ECHELON_SPEC_TOO_DEEP` for the first node found beyond `maxDepth`. @internal */
export function tooDeep(subject: Subject, maxDepth: number, depth: number, path: string): EchelonError {
  return new EchelonError(
    CoreErrorCode.SPEC_TOO_DEEP,
    `The ${subject} nests deeper than maxDepth ${maxDepth}: the task at ${displayPath(path)} is at depth ${depth} (the root is depth 0). Flatten the task tree or raise maxDepth (at most 64).`,
    { details: { maxDepth, depth, path } },
  );
}

/** `ECHELON_SPEC_DEPENDENCY_CYCLE` naming the cycle and its parent. @internal */
export function dependencyCycle(
  subject: Subject,
  cycle: readonly string[],
  path: string,
  nodePath: string,
): EchelonError {
  return new EchelonError(
    CoreErrorCode.SPEC_DEPENDENCY_CYCLE,
    `The ${subject} has a dependency cycle among the children of ${displayPath(path)} ("${nodePath}"): ${cycle.join(" → ")}. Remove one of these dependsOn entries.`,
    { details: { cycle: [...cycle], path, nodePath } },
  );
}

/** `ECHELON_PATTERN_UNKNOWN` listing every unknown pattern use. @internal */
export function unknownPattern(
  subject: Subject,
  issues: readonly (SpecIssue & { readonly pattern: string })[],
  known: readonly string[],
): EchelonError {
  const first = issues[0]!;
  const knownText = known.length === 0 ? "none are registered" : `known: ${known.join(", ")}`;
  return new EchelonError(
    CoreErrorCode.PATTERN_UNKNOWN,
    `The ${subject} uses a pattern that is not registered (${knownText}):\n${formatSpecIssues(issues)}\nInstall the plugin that provides it or use a registered pattern.`,
    {
      details: {
        pattern: first.pattern,
        path: first.path,
        known: [...known],
        issues: issues.map(({ path, message }) => ({ path, message })),
      },
    },
  );
}

/** `ECHELON_CONFIG_INVALID` for bad {@link PlanBuildOptions}. @internal */
export function invalidOption(option: string, message: string, cause?: unknown): EchelonError {
  return new EchelonError(CoreErrorCode.CONFIG_INVALID, `Plan option "${option}" ${message}.`, {
    details: { option },
    ...(cause === undefined ? {} : { cause }),
  });
}
