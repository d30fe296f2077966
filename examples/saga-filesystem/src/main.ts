import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { publishFiles, STEPS, type Step } from "./run.js";

const { values } = parseArgs({
  options: { "fail-at": { type: "string" }, out: { type: "string" }, root: { type: "string" } },
});
const failAt = values["fail-at"] as Step | undefined;
if (failAt !== undefined && !STEPS.includes(failAt)) {
  console.error(`--fail-at must be one of ${STEPS.join(", ")}`);
  process.exit(64);
}
const store = join(resolve(values.root ?? "../.."), "node_modules", ".pnpm");
const files = (await readdir(store))
  .sort()
  .slice(0, 10)
  .map((id) => {
    const name = id.startsWith("@")
      ? id.split("@").slice(0, 2).join("@").replace("+", "/")
      : id.split("@")[0]!;
    return join(store, id, "node_modules", name, "package.json");
  });
const result = await publishFiles({
  files,
  outDir: resolve(values.out ?? "out"),
  ...(failAt ? { failAt } : {}),
});
const steps = (
  result.error?.details as
    | { steps?: Array<{ step: string; status: string; compensation?: string }> }
    | undefined
)?.steps;
console.log(
  result.success
    ? `published: ${JSON.stringify(result.result)}`
    : `${result.error?.code}: ${result.errorMessage}`,
);
for (const s of steps ?? [])
  console.log(`  ${s.step.padEnd(8)} ${s.status}${s.compensation ? `, compensation ${s.compensation}` : ""}`);
console.log(
  `tasks: ${result.metadata.completedTasks} completed, ${result.metadata.failedTasks} failed, ${result.metadata.compensatedTasks} compensated`,
);
process.exitCode = result.success ? 0 : 2;
