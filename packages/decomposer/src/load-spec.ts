import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { EchelonError, isEchelonError, type TaskSpec } from "@echelon/core";
import { MAX_PLAN_DEPTH, validateTaskSpec } from "@echelon/core/plugin";
import { DecomposerErrorCode } from "./errors.js";

/** The `yaml` package, loaded on the first `loadSpec` call rather than on import (it costs tens of ms to load). */
type Yaml = typeof import("yaml");

/** Options of {@link loadSpec}. */
export interface LoadSpecOptions {
  /** Deepest depth the spec may nest (root = 0). Default 64. */
  readonly maxDepth?: number;
  /** Registered pattern names; a spec pattern outside them is an error. Default: not checked. */
  readonly patterns?: readonly string[];
}

/**
 * Where a JSON syntax error is. Node's message carries a position on some versions only; when it
 * does not, the YAML parser (a superset of JSON) is asked to locate the first error.
 */
function lineOfJsonError(yaml: Yaml, text: string, message: string): { line: number; column: number } | null {
  const at = /position (\d+)/.exec(message);
  if (at === null) {
    const lc = /line (\d+) column (\d+)/.exec(message);
    if (lc !== null) return { line: Number(lc[1]), column: Number(lc[2]) };
    const first = yaml.parseDocument(text).errors[0];
    return first?.linePos === undefined
      ? null
      : { line: first.linePos[0].line, column: first.linePos[0].col };
  }
  const offset = Number(at[1]);
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

function parseText(yaml: Yaml, file: string, text: string, format: "json" | "yaml"): unknown {
  try {
    return format === "json" ? JSON.parse(text) : yaml.parse(text, { uniqueKeys: true, maxAliasCount: 100 });
  } catch (error) {
    const where =
      error instanceof yaml.YAMLParseError && error.linePos !== undefined
        ? { line: error.linePos[0].line, column: error.linePos[0].col }
        : error instanceof SyntaxError
          ? lineOfJsonError(yaml, text, error.message)
          : null;
    const reason = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    throw new EchelonError(
      DecomposerErrorCode.PARSE_FAILED,
      `${file}${where === null ? "" : `:${where.line}:${where.column}`}: not valid ${format.toUpperCase()} (${reason}). Fix the syntax and try again.`,
      { cause: error, details: { file, format, ...(where ?? {}) } },
    );
  }
}

/**
 * Loads a TaskSpec tree from a `.json`, `.yaml` or `.yml` file and validates it with core's
 * schema (every issue at once, each with its path, e.g. `children[2].dependsOn[0]`).
 *
 * @param path - the file
 * @param options - `maxDepth` and registered `patterns` to validate against
 * @returns the validated, frozen spec
 * @throws EchelonError `ECHELON_SPEC_FILE_UNREADABLE` (missing or unreadable file),
 *   `ECHELON_SPEC_FORMAT_UNSUPPORTED` (other extension), `ECHELON_SPEC_PARSE_FAILED` (syntax; with
 *   `details.line`/`column` when the parser gives them), or core's `ECHELON_SPEC_INVALID`,
 *   `ECHELON_SPEC_TOO_DEEP`, `ECHELON_SPEC_DEPENDENCY_CYCLE`, `ECHELON_PATTERN_UNKNOWN` with
 *   `details.file` added
 * @example
 * ```ts
 * const spec = await loadSpec("release.yaml", { maxDepth: 3 });
 * await orchestrator.orchestrateComplexTask(spec);
 * ```
 */
export async function loadSpec(path: string, options: LoadSpecOptions = {}): Promise<TaskSpec> {
  const ext = extname(path).toLowerCase();
  const format = ext === ".json" ? "json" : ext === ".yaml" || ext === ".yml" ? "yaml" : null;
  if (format === null) {
    throw new EchelonError(
      DecomposerErrorCode.FORMAT_UNSUPPORTED,
      `${path}: unsupported spec file extension "${ext || "(none)"}"; use .json, .yaml or .yml.`,
      { details: { file: path, extension: ext } },
    );
  }
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown";
    throw new EchelonError(
      DecomposerErrorCode.FILE_UNREADABLE,
      `${path}: cannot read the spec file (${code}). Check the path and permissions.`,
      { cause: error, details: { file: path, reason: code } },
    );
  }
  const value = parseText(await import("yaml"), path, text, format);
  try {
    return validateTaskSpec(value, {
      maxDepth: options.maxDepth ?? MAX_PLAN_DEPTH,
      ...(options.patterns === undefined ? {} : { patterns: options.patterns }),
    });
  } catch (error) {
    if (!isEchelonError(error)) throw error;
    throw new EchelonError(error.code, `${path}: ${error.message}`, {
      cause: error,
      details: { ...error.details, file: path },
    });
  }
}
