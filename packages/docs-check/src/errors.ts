/** Error codes of `@echelon/docs-check`. Append-only; listed in `docs/errors.md`. */
export const DocsCheckErrorCode = {
  /** The tsconfig whose compiler options the snippets are checked with cannot be read. */
  TSCONFIG_UNREADABLE: "ECHELON_DOCS_TSCONFIG_UNREADABLE",
} as const;

/** One of the docs check's error codes. */
export type DocsCheckErrorCode = (typeof DocsCheckErrorCode)[keyof typeof DocsCheckErrorCode];
