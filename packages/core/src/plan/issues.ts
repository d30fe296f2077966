import { displayPath } from "./paths.js";

/**
 * One problem found while validating a task spec or a plan.
 *
 * @example
 * ```ts
 * const issue: SpecIssue = { path: "children[2].dependsOn[0]", message: 'unknown task "b"' };
 * ```
 */
export interface SpecIssue {
  /** Where the problem is: `description`, `children[2].dependsOn[0]`, `input.items[3]`; `""` is the root. */
  readonly path: string;
  /** What is wrong, in a few words: `unknown task "b"`, `must be a finite number`. */
  readonly message: string;
}

/** How many issues {@link formatSpecIssues} lists before summarising the rest. */
const LISTED_ISSUES = 5;

/**
 * Formats issues as `path: message` lines, at most five, followed by a line saying how
 * many more there are. The root path is shown as `(root)`.
 *
 * @param issues - the issues, in the order they were found
 * @returns the lines joined by `\n` (empty for no issues)
 * @example
 * ```ts
 * formatSpecIssues([{ path: "children[0].timeoutMs", message: "must be greater than 0" }]);
 * // → "children[0].timeoutMs: must be greater than 0"
 * ```
 */
export function formatSpecIssues(issues: readonly SpecIssue[]): string {
  const lines = issues.slice(0, LISTED_ISSUES).map((issue) => `${displayPath(issue.path)}: ${issue.message}`);
  const rest = issues.length - LISTED_ISSUES;
  if (rest > 0) lines.push(`…and ${rest} more issue${rest === 1 ? "" : "s"} (see details.issues)`);
  return lines.join("\n");
}
