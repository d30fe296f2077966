import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach } from "vitest";

const folders: string[] = [];

/** A fresh folder for one test's database files, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "echelon-sqlite-"));
  folders.push(dir);
  return dir;
}

/** A path for a database file that does not exist yet. */
export function tempDb(name = "journal.db"): string {
  return join(tempDir(), name);
}

afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const child = resolve(import.meta.dirname, "fixtures", "child.mjs");

/** What the child process printed: one JSON value. */
export interface ChildAnswer {
  readonly ok: boolean;
  readonly value?: unknown;
  readonly code?: string;
  readonly details?: Record<string, unknown>;
  readonly message?: string;
}

/**
 * Runs one store operation in another Node process on the same database file (the built
 * package, as a user's process would load it).
 */
export function inChild(db: string, ...args: string[]): Promise<ChildAnswer> {
  return new Promise((done, fail) => {
    execFile(process.execPath, [child, db, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error !== null && stdout.trim() === "")
        return fail(new Error(`child failed: ${stderr || error.message}`));
      try {
        done(JSON.parse(stdout.trim().split("\n").at(-1)!) as ChildAnswer);
      } catch {
        fail(new Error(`child printed no JSON: ${stdout} ${stderr}`));
      }
    });
  });
}
