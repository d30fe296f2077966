import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { EchelonError } from "@echelon/core";
import ts from "typescript";
import { DocsCheckErrorCode } from "./errors.js";
import { type CodeBlock, extractCodeBlocks, NO_CHECK } from "./extract.js";
import { documentationFiles } from "./files.js";

/** One problem found in a documentation code block. */
export interface SnippetProblem {
  /** The Markdown file, relative to the repository root. */
  readonly file: string;
  /** Line in the Markdown file, 1-based. */
  readonly line: number;
  /** Column in the code block, 1-based. */
  readonly column: number;
  /** `TS<number>` for a compiler diagnostic, `NO_CHECK_REASON_MISSING` for a bare `no-check`. */
  readonly code: string;
  /** What is wrong. */
  readonly message: string;
}

/** Options of {@link checkDocSnippets}. */
export interface CheckOptions {
  /** The repository root: Markdown paths are relative to it; its `tsconfig.base.json` gives the compiler options. */
  readonly root: string;
  /**
   * A folder inside the workspace whose `node_modules` resolves every package the snippets
   * import (`echelon`, `@echelon/*`, …). The blocks are written to a temporary folder in it,
   * removed afterwards.
   */
  readonly workspace: string;
  /** Markdown files to check, relative to `root`. Default: {@link documentationFiles}. */
  readonly files?: readonly string[];
  /** The tsconfig whose compiler options apply. Default `<root>/tsconfig.base.json`. */
  readonly tsconfig?: string;
}

/** What {@link checkDocSnippets} found. */
export interface CheckReport {
  /** Code blocks type-checked. */
  readonly checked: number;
  /** Code blocks exempted with `no-check`, with their reasons. */
  readonly skipped: readonly CodeBlock[];
  /** Every problem, by file and line. */
  readonly problems: readonly SnippetProblem[];
}

function compilerOptions(path: string): ts.CompilerOptions {
  const read = ts.readConfigFile(path, ts.sys.readFile);
  if (read.error) {
    throw new EchelonError(
      DocsCheckErrorCode.TSCONFIG_UNREADABLE,
      `docs-check: cannot read ${path} (${ts.flattenDiagnosticMessageText(read.error.messageText, " ")}). Pass the path of a readable tsconfig as "tsconfig".`,
      { details: { path } },
    );
  }
  const base = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(path)).options;
  return {
    ...base,
    noEmit: true,
    allowJs: true,
    checkJs: true,
    composite: false,
    incremental: false,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
    noUnusedLocals: false,
    noUnusedParameters: false,
    skipLibCheck: true,
  };
}

const MODULE_NOT_FOUND = new Set([2307, 2792]);

function problemOf(diagnostic: ts.Diagnostic, block: CodeBlock | undefined): SnippetProblem {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
  const hint = MODULE_NOT_FOUND.has(diagnostic.code)
    ? " (a package the snippet imports must be a devDependency of @echelon/docs-check)"
    : "";
  if (block === undefined || diagnostic.file === undefined || diagnostic.start === undefined) {
    return { file: "(compiler options)", line: 0, column: 0, code: `TS${diagnostic.code}`, message };
  }
  const at = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return {
    file: block.file,
    line: block.line + at.line,
    column: at.character + 1,
    code: `TS${diagnostic.code}`,
    message: message + hint,
  };
}

/** The program's diagnostics for the blocks: syntax errors of a block that does not parse (not the cascade they cause), else its type errors. */
function diagnose(program: ts.Program, blocks: ReadonlyMap<string, CodeBlock>): ts.Diagnostic[] {
  const diagnostics: ts.Diagnostic[] = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
  ];
  for (const source of program.getSourceFiles()) {
    // TypeScript names files with "/" on every platform, as the keys are.
    if (!blocks.has(source.fileName)) continue;
    const syntax = program.getSyntacticDiagnostics(source);
    diagnostics.push(...(syntax.length > 0 ? syntax : program.getSemanticDiagnostics(source)));
  }
  return diagnostics;
}

/**
 * Type-checks the TypeScript and JavaScript code blocks of Markdown files in one TypeScript
 * program. Each block is written as its own module (so blocks do not share names) into a
 * temporary folder inside the workspace, where `echelon` and `@echelon/*` resolve to the
 * built packages. Compiler options are the repository's `tsconfig.base.json` (strict), with
 * `checkJs` for JavaScript blocks and unused names allowed.
 *
 * A block whose info string is ` ```ts no-check <reason> ` is not checked; a `no-check`
 * without a reason is reported.
 *
 * @param options - repository root, workspace folder, files, tsconfig
 * @returns the counts and every problem with its Markdown file and line
 * @throws EchelonError `ECHELON_DOCS_TSCONFIG_UNREADABLE` when the tsconfig cannot be read
 * @example
 * ```ts
 * const report = checkDocSnippets({ root: process.cwd(), workspace: join(process.cwd(), "packages/docs-check") });
 * for (const p of report.problems) console.log(`${p.file}:${p.line}:${p.column} ${p.code} ${p.message}`);
 * ```
 */
export function checkDocSnippets(options: CheckOptions): CheckReport {
  const files = options.files ?? documentationFiles(options.root);
  const blocks = files.flatMap((file) =>
    extractCodeBlocks(readFileSync(join(options.root, file), "utf8"), file),
  );
  const problems: SnippetProblem[] = [];
  const skipped = blocks.filter((b) => b.skipReason !== null);
  for (const block of skipped) {
    if (block.skipReason === "") {
      problems.push({
        file: block.file,
        line: block.line - 1,
        column: 1,
        code: "NO_CHECK_REASON_MISSING",
        message: `"${NO_CHECK}" needs a reason after it, e.g. \`\`\`ts ${NO_CHECK} fragment of the class above`,
      });
    }
  }
  const checked = blocks.filter((b) => b.skipReason === null);
  const dir = mkdtempSync(join(options.workspace, ".snippets-"));
  try {
    const byPath = new Map<string, CodeBlock>();
    checked.forEach((block, i) => {
      const slug = block.file.replace(/[^A-Za-z0-9]+/g, "-");
      const path = join(dir, `${String(i).padStart(3, "0")}-${slug}-L${block.line}.${block.language}`);
      // `export {}` makes every block a module of its own, whatever it contains.
      writeFileSync(path, `${block.code}\nexport {};\n`);
      byPath.set(path.split(sep).join("/"), block);
    });
    const strict = compilerOptions(options.tsconfig ?? join(options.root, "tsconfig.base.json"));
    // JavaScript has no annotations: its blocks are checked strictly, except for implicit `any`.
    const programs = [
      { language: "ts", options: strict },
      { language: "js", options: { ...strict, noImplicitAny: false } },
    ] as const;
    const seen = new Set<string>();
    for (const { language, options: compiler } of programs) {
      const paths = [...byPath].filter(([, b]) => b.language === language).map(([path]) => path);
      if (paths.length === 0) continue;
      for (const diagnostic of diagnose(ts.createProgram(paths, compiler), byPath)) {
        const block = diagnostic.file ? byPath.get(diagnostic.file.fileName) : undefined;
        const problem = problemOf(diagnostic, block);
        const key = `${problem.file}:${problem.line}:${problem.column}:${problem.code}:${problem.message}`;
        if (!seen.has(key)) problems.push(problem);
        seen.add(key);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return { checked: checked.length, skipped, problems };
}
