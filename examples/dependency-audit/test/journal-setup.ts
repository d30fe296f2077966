import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The audit journals every run (default `.echelon/echelon.db` in the working directory): the
// tests, and the commands they start, write to a journal of their own instead of the package's folder.
process.env.ECHELON_DB ??= join(mkdtempSync(join(tmpdir(), "audit-journal-")), "echelon.db");
