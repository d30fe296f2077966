import { join, resolve } from "node:path";
import type { OrchestrationResult } from "echelon";
import { runInBackground } from "./run.js";

const modules = join(resolve(process.argv[2] ?? "../.."), "node_modules");
const names = ["typescript", "vitest", "vite", "typedoc"];
const { finals, events } = await runInBackground(names.map((n) => join(modules, n)));
console.log(events.join("\n"));
console.log("");
for (const [i, [id, s]] of Object.entries(finals).entries()) {
  const lines =
    s.state === "completed" ? `${(s.result as OrchestrationResult).result} declaration lines` : s.error?.code;
  console.log(`${id} ${names[i]!.padEnd(11)} ${s.state.padEnd(10)} ${lines}`);
}
