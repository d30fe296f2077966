/** Languages whose code blocks are checked, by the info-string word that opens the block. */
const LANGUAGES: Readonly<Record<string, CodeLanguage>> = {
  ts: "ts",
  typescript: "ts",
  js: "js",
  javascript: "js",
};

/** The language of a checked block: TypeScript, or JavaScript (checked with `checkJs`). */
export type CodeLanguage = "ts" | "js";

/** The marker that exempts a block from the check; a reason must follow it. */
export const NO_CHECK = "no-check";

/** One TypeScript or JavaScript code block of a Markdown file. */
export interface CodeBlock {
  /** The Markdown file, relative to the repository root, with `/` separators. */
  readonly file: string;
  /** Line of the block's first code line in the file, 1-based. */
  readonly line: number;
  /** Its language. */
  readonly language: CodeLanguage;
  /** The code, with the fence's indentation removed. */
  readonly code: string;
  /**
   * Why the block is not checked (the text after ` no-check `), or `null` when it is checked.
   * An empty string means the marker has no reason, which the checker reports.
   */
  readonly skipReason: string | null;
}

const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;

/**
 * Finds the TypeScript (` ```ts `, ` ```typescript `) and JavaScript (` ```js `,
 * ` ```javascript `) code blocks of a Markdown text. A block whose info string reads
 * ` ```ts no-check <reason> ` is returned with its `skipReason`.
 *
 * @param markdown - the Markdown text
 * @param file - its path, for reports
 * @returns the blocks, in order
 * @example
 * ```ts
 * extractCodeBlocks("# Title\n\n```ts\nconst a: number = 1;\n```\n", "docs/a.md");
 * // → [{ file: "docs/a.md", line: 4, language: "ts", code: "const a: number = 1;\n", skipReason: null }]
 * ```
 */
export function extractCodeBlocks(markdown: string, file: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  let open: { fence: string; indent: number; start: number; info: string } | null = null;
  let body: string[] = [];
  lines.forEach((text, index) => {
    const match = FENCE.exec(text);
    if (open === null) {
      if (match === null) return;
      const [, indent = "", fence = "", info = ""] = match;
      if (fence.startsWith("`") && info.includes("`")) return; // inline code, not a fence
      open = { fence, indent: indent.length, start: index + 2, info: info.trim() };
      body = [];
      return;
    }
    const closes =
      match !== null &&
      match[2]!.startsWith(open.fence[0]!) &&
      match[2]!.length >= open.fence.length &&
      match[3]!.trim() === "";
    if (!closes) {
      body.push(text.slice(Math.min(open.indent, text.length - text.trimStart().length)));
      return;
    }
    const [word = "", ...rest] = open.info.split(/\s+/);
    const language = LANGUAGES[word.toLowerCase()];
    if (language !== undefined) {
      const marker = rest[0] === NO_CHECK || rest[0]?.startsWith(`${NO_CHECK}:`);
      const reason = marker
        ? open.info
            .slice(open.info.indexOf(NO_CHECK) + NO_CHECK.length)
            .replace(/^:/, "")
            .trim()
        : null;
      blocks.push({ file, line: open.start, language, code: `${body.join("\n")}\n`, skipReason: reason });
    }
    open = null;
  });
  return blocks;
}
