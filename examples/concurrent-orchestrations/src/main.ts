import { join, resolve } from "node:path";
import { runConcurrently } from "./run.js";

const modules = join(resolve(process.argv[2] ?? "../.."), "node_modules");
const packages = ["typescript", "vitest", "vite", "typedoc"].map((p) => join(modules, p));
const reports = await runConcurrently(packages, "run-3");
for (const [i, r] of reports.entries()) {
  const s = r.statusWhileRunning;
  console.log(
    `${r.id} ${packages[i]!.split("/").pop()!.padEnd(11)} ${r.result.state.padEnd(9)} ` +
      `${r.result.metadata.completedTasks}/${r.result.metadata.totalTasks} tasks in ${r.result.executionTime.toFixed(2)} s ` +
      `(while running: ${s.state} ${s.progress.toFixed(0)} %)`,
  );
}
