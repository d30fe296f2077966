// Sums the vitest JSON reports of every workspace package and prints one closing line:
// "Tests: N passed, N failed" (exit 1 when anything failed or no test ran).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const group of ["packages", "plugins", "examples"]) {
  if (!existsSync(group)) continue;
  for (const name of readdirSync(group)) {
    const file = join(group, name, "test-results", "vitest.json");
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, "utf8"));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    rows.push(
      `${`${group}/${name}`.padEnd(36)} ${String(report.numPassedTests).padStart(5)} passed ${String(report.numFailedTests).padStart(3)} failed`,
    );
  }
}
console.log(rows.join("\n"));
console.log(`Tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
