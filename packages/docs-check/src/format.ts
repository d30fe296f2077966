import type { CheckReport, SnippetProblem } from "./check.js";

/**
 * One line per problem, `file:line:column CODE message`, as editors and CI logs link them.
 *
 * @param problem - the problem
 * @returns the line, without a newline
 * @example
 * ```ts
 * formatProblem({ file: "docs/cli.md", line: 21, column: 24, code: "TS2304", message: "Cannot find name 'readFile'." });
 * // → "docs/cli.md:21:24 TS2304 Cannot find name 'readFile'."
 * ```
 */
export function formatProblem(problem: SnippetProblem): string {
  return `${problem.file}:${problem.line}:${problem.column} ${problem.code} ${problem.message}`;
}

/**
 * The report as text: every problem, then the counts and the exempted blocks with their reasons.
 *
 * @param report - what `checkDocSnippets` found
 * @returns lines of text, ending with a newline
 * @example
 * ```ts
 * process.stdout.write(formatReport(checkDocSnippets({ root, workspace })));
 * ```
 */
export function formatReport(report: CheckReport): string {
  const lines = report.problems.map(formatProblem);
  lines.push(
    `docs-check: ${report.checked} code blocks type-checked, ${report.skipped.length} exempted, ${report.problems.length} problems`,
  );
  for (const block of report.skipped)
    lines.push(`  exempted ${block.file}:${block.line}: ${block.skipReason}`);
  return `${lines.join("\n")}\n`;
}
