import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, symlink, writeFile, readlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** The rendered report, held in memory until it is published. */
export interface RenderedReport {
  readonly markdown: string;
  readonly html: string;
  readonly data: string;
}

/** Names of the report's files. */
export const REPORT_FILES = { markdown: "report.md", html: "report.html", data: "audit.json" } as const;

/** The sha256 of a text, hex. */
export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/**
 * Saga step 1: writes the report into a fresh temporary folder next to `outDir` (same file
 * system, so the later rename is atomic).
 *
 * @returns the temporary folder and the files' digests
 */
export async function writeTemp(
  outDir: string,
  report: RenderedReport,
): Promise<{ tempDir: string; digests: Record<string, string> }> {
  await mkdir(outDir, { recursive: true });
  const tempDir = join(outDir, `.tmp-${randomBytes(6).toString("hex")}`);
  await mkdir(tempDir);
  const digests: Record<string, string> = {};
  for (const [key, file] of Object.entries(REPORT_FILES)) {
    const text = report[key as keyof RenderedReport];
    await writeFile(join(tempDir, file), text, "utf8");
    digests[file] = sha256(text);
  }
  return { tempDir, digests };
}

/** Compensation of step 1: removes the temporary folder. */
export async function removeTemp(tempDir: string): Promise<{ removed: string }> {
  await rm(tempDir, { recursive: true, force: true });
  return { removed: tempDir };
}

/**
 * Saga step 2: reads the files back and checks them: digests match, the HTML is a whole
 * document with its chart and within `maxBytes`, the data parses with the expected count.
 *
 * @throws Error naming the first check that failed
 */
export async function validateTemp(
  tempDir: string,
  digests: Readonly<Record<string, string>>,
  expectedPackages: number,
  maxBytes: number,
): Promise<{ checked: string[] }> {
  const checked: string[] = [];
  for (const file of Object.values(REPORT_FILES)) {
    const text = await readFile(join(tempDir, file), "utf8");
    if (sha256(text) !== digests[file])
      throw new Error(`${file} does not match what was rendered (sha256 differs).`);
    if (Buffer.byteLength(text) > maxBytes) {
      throw new Error(`${file} is ${Buffer.byteLength(text)} bytes, over the ${maxBytes}-byte limit.`);
    }
    checked.push(file);
  }
  const html = await readFile(join(tempDir, REPORT_FILES.html), "utf8");
  if (!html.startsWith("<!doctype html>") || !html.includes("<svg") || !html.trimEnd().endsWith("</html>")) {
    throw new Error("report.html is not a complete page with its chart.");
  }
  const data = JSON.parse(await readFile(join(tempDir, REPORT_FILES.data), "utf8")) as {
    packages?: unknown[];
  };
  if (!Array.isArray(data.packages) || data.packages.length !== expectedPackages) {
    throw new Error(`audit.json lists ${data.packages?.length ?? 0} packages, expected ${expectedPackages}.`);
  }
  return { checked };
}

/**
 * Saga step 3: promotes the folder atomically — renames it to `outDir/report-<id>` and swaps the
 * `outDir/latest` symlink with a rename, then removes the report it replaced.
 *
 * @returns the published folder
 */
export async function promote(outDir: string, tempDir: string, id: string): Promise<{ reportDir: string }> {
  const reportDir = join(outDir, `report-${id}`);
  await rename(tempDir, reportDir);
  const latest = join(outDir, "latest");
  const previous = await readlink(latest).catch(() => null);
  const link = join(outDir, `.latest-${randomBytes(4).toString("hex")}`);
  await symlink(basename(reportDir), link);
  await rename(link, latest);
  if (previous !== null && previous !== basename(reportDir)) {
    await rm(join(dirname(latest), previous), { recursive: true, force: true });
  }
  return { reportDir };
}
