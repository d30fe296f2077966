import { statSync } from "node:fs";
import { resolve, sep } from "node:path";
import { EchelonError } from "echelon";
import { CliErrorCode } from "./errors.js";

const SPEC_EXTENSION = /\.(ya?ml|json)$/i;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** What a command's task argument turned out to be. */
export type TaskArgument =
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "text"; readonly text: string };

/**
 * Whether an argument reads as a file path rather than a task text: one word (no whitespace,
 * not a URL) that ends in `.json`, `.yaml` or `.yml`, or contains a path separator.
 *
 * @param arg - the argument
 * @returns true for `spec.yaml`, `specs/a.json`, `./tasks/build`; false for `Parse config.yaml and report`
 */
export function looksLikePath(arg: string): boolean {
  if (arg.length === 0 || /\s/.test(arg) || URL_SCHEME.test(arg)) return false;
  return SPEC_EXTENSION.test(arg) || arg.includes("/") || arg.includes(sep);
}

function exists(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false }) !== undefined;
}

function noSuchFile(command: string, arg: string, path: string, hint: string): EchelonError {
  return new EchelonError(
    CliErrorCode.FILE_NOT_FOUND,
    `echelon ${command}: ${JSON.stringify(arg)} looks like a file path, but there is no such file (${path}). ${hint}`,
    { details: { argument: arg, path } },
  );
}

/**
 * The spec file `echelon run` was given, refused before any work starts when it does not exist.
 *
 * @param arg - the argument
 * @param cwd - directory relative paths start from
 * @returns its absolute path
 * @throws EchelonError `ECHELON_CLI_FILE_NOT_FOUND` when no such file exists
 * @example
 * ```ts
 * const path = resolveSpecFile("words.yaml", process.cwd());
 * ```
 */
export function resolveSpecFile(arg: string, cwd: string): string {
  const path = resolve(cwd, arg);
  if (!exists(path)) throw noSuchFile("run", arg, path, "Check the path to the .yaml or .json spec.");
  return path;
}

/**
 * Decides what the task argument of `plan` or `orchestrate` is, and refuses a path to nothing
 * before any work starts. An argument that looks like a path ({@link looksLikePath}), or names
 * an existing `.json`/`.yaml`/`.yml` file, is a file; anything else is a task text.
 * `orchestrate` takes texts only: for a file it points to `echelon run`.
 *
 * @param command - `plan` or `orchestrate`
 * @param arg - its argument
 * @param cwd - directory relative paths start from
 * @returns the file's absolute path, or the text
 * @throws EchelonError `ECHELON_CLI_FILE_NOT_FOUND` when the argument is a path and no such file exists
 * @throws EchelonError `ECHELON_CLI_OPTION_INVALID` when `orchestrate` is given an existing file
 * @example
 * ```ts
 * resolveTaskArgument("plan", "Parse config.yaml and report", process.cwd()); // { kind: "text", … }
 * ```
 */
export function resolveTaskArgument(command: "plan" | "orchestrate", arg: string, cwd: string): TaskArgument {
  const path = resolve(cwd, arg);
  if (!looksLikePath(arg) && !(SPEC_EXTENSION.test(arg) && exists(path))) return { kind: "text", text: arg };
  if (!exists(path)) throw noSuchFile(command, arg, path, "Check the path, or write the task in words.");
  if (command === "orchestrate") {
    throw new EchelonError(
      CliErrorCode.OPTION_INVALID,
      `echelon orchestrate decomposes a task text, and ${JSON.stringify(arg)} is a file. To run a spec file, use: echelon run ${arg}`,
      { details: { argument: arg, path } },
    );
  }
  return { kind: "file", path };
}
