import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

// The audit journals every run (default `.echelon/echelon.db` in the working directory): the
// tests, and the commands they start, write to a journal of their own instead of the package's
// folder, removed when the file's tests are done.
if (process.env.ECHELON_DB === undefined) {
  const dir = mkdtempSync(join(tmpdir(), "audit-journal-"));
  process.env.ECHELON_DB = join(dir, "echelon.db");
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    delete process.env.ECHELON_DB;
  });
}
