import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { NO_LICENCE, type PackageFacts } from "./facts.js";
import { topTerms } from "./terms.js";

interface Manifest {
  name?: unknown;
  version?: unknown;
  license?: unknown;
  licenses?: unknown;
  dependencies?: unknown;
  optionalDependencies?: unknown;
  scripts?: unknown;
  repository?: unknown;
  deprecated?: unknown;
  engines?: unknown;
}

const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall"];

function licenceOf(manifest: Manifest): string {
  const { license, licenses } = manifest;
  if (typeof license === "string" && license.trim() !== "") return license.trim();
  if (
    typeof license === "object" &&
    license !== null &&
    typeof (license as { type?: unknown }).type === "string"
  ) {
    return (license as { type: string }).type;
  }
  if (Array.isArray(licenses)) {
    const types = licenses
      .map((l) => (typeof l === "object" && l !== null ? (l as { type?: unknown }).type : l))
      .filter((t): t is string => typeof t === "string");
    if (types.length > 0) return types.length === 1 ? types[0]! : `(${types.join(" OR ")})`;
  }
  return NO_LICENCE;
}

function countKeys(value: unknown): number {
  return typeof value === "object" && value !== null ? Object.keys(value).length : 0;
}

/** Sums the apparent size of every file under `dir`, skipping nested node_modules and symlinks. */
function measure(dir: string, signal: AbortSignal): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const stack = [dir];
  while (stack.length > 0) {
    signal.throwIfAborted();
    const current = stack.pop()!;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.isSymbolicLink() || (entry.isDirectory() && entry.name === "node_modules")) continue;
      const path = join(current, entry.name);
      if (entry.isDirectory()) stack.push(path);
      else {
        files++;
        bytes += lstatSync(path).size;
      }
    }
  }
  return { bytes, files };
}

function readReadme(dir: string): string {
  const readme = readdirSync(dir)
    .filter((n) => /^readme(\.(md|markdown|txt|rst))?$/i.test(n))
    .sort()[0];
  return readme === undefined ? "" : readFileSync(join(dir, readme), "utf8");
}

function hintsFor(manifest: Manifest, version: string, readme: string, installScripts: string[]): string[] {
  const hints: string[] = [];
  if (manifest.repository === undefined) hints.push("no repository field");
  if (readme.length === 0) hints.push("no README");
  else if (readme.length < 300) hints.push("README under 300 bytes");
  if (typeof manifest.deprecated === "string") hints.push(`deprecated: ${manifest.deprecated}`);
  if (/^0\./.test(version)) hints.push("pre-1.0 version");
  if (installScripts.length > 0) hints.push(`runs ${installScripts.join("/")} on install`);
  const engines = manifest.engines as { node?: unknown } | undefined;
  const node = typeof engines?.node === "string" ? /(\d+)/.exec(engines.node) : null;
  if (node && Number(node[1]) < 10) hints.push(`engines.node allows Node ${node[1]}`);
  return hints;
}

/**
 * Reads one installed package — its package.json, README and files — and computes the
 * audit's facts. Real I/O, synchronous on purpose: a package is a few hundred small system
 * calls, which the promise API makes several times dearer in CPU, and the work holds its thread
 * either way (in-process, the one JavaScript thread; with `workers`, a worker thread). The
 * signal is checked before each directory; a package takes milliseconds, so an abort takes
 * effect by the next package at the latest.
 *
 * @param dir - the package's directory
 * @param signal - aborts the walk
 * @returns the facts
 */
export function analysePackage(dir: string, signal: AbortSignal): PackageFacts {
  signal.throwIfAborted();
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
  const name = typeof manifest.name === "string" ? manifest.name : dir;
  const version = typeof manifest.version === "string" ? manifest.version : "0.0.0";
  const readme = readReadme(dir);
  const size = measure(dir, signal);
  const scripts = (
    typeof manifest.scripts === "object" && manifest.scripts !== null ? manifest.scripts : {}
  ) as Record<string, unknown>;
  const installScripts = INSTALL_SCRIPTS.filter((s) => typeof scripts[s] === "string");
  return {
    name,
    version,
    scope: name.startsWith("@") ? name.split("/")[0]! : "(unscoped)",
    licence: licenceOf(manifest),
    sizeBytes: size.bytes,
    files: size.files,
    dependencyCount: countKeys(manifest.dependencies) + countKeys(manifest.optionalDependencies),
    installScripts,
    hints: hintsFor(manifest, version, readme, installScripts),
    topTerms: topTerms(readme),
    readmeBytes: Buffer.byteLength(readme),
  };
}
