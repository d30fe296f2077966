import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { analyseByToolCalls, resultOf } from "./run.js";

const root = resolve(process.argv[2] ?? "../..");
const modules = join(root, "node_modules");
const files = (await readdir(modules))
  .filter((n) => !n.startsWith(".") && !n.startsWith("@"))
  .map((n) => join(modules, n, "README.md"));
const t = await analyseByToolCalls(files);
console.log(`tools offered: ${t.tools.join(", ")}`);
console.log(`orchestrate_complex_task → success ${t.orchestrate.success}: ${t.orchestrate.message}`);
for (const s of resultOf(t.orchestrate).result as Array<{ path: string; words: number; headings: number }>) {
  console.log(
    `  ${s.path.slice(root.length + 1).padEnd(40)} ${String(s.words).padStart(6)} words, ${s.headings} headings`,
  );
}
console.log(`get_orchestration_status → ${t.status.message}`);
console.log(
  `a malformed call → success ${t.badCall.success}: ${t.badCall.error?.code} ${t.badCall.error?.message}`,
);
