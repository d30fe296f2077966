/**
 * `@echelon/docs-check` — type-checks every TypeScript and JavaScript code block of `docs/` and
 * of the READMEs in one TypeScript program, and reports each problem with its Markdown file and
 * line. Private: it runs in the repository's tests.
 *
 * @packageDocumentation
 */
export { type CheckOptions, type CheckReport, checkDocSnippets, type SnippetProblem } from "./check.js";
export { DocsCheckErrorCode } from "./errors.js";
export { type CodeBlock, type CodeLanguage, extractCodeBlocks, NO_CHECK } from "./extract.js";
export { documentationFiles } from "./files.js";
export { formatProblem, formatReport } from "./format.js";
