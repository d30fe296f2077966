import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { packagesWithLicence, voteOnLicences } from "./run.js";

const { values } = parseArgs({ options: { root: { type: "string" }, limit: { type: "string" } } });
const dirs = await packagesWithLicence(resolve(values.root ?? "../.."), Number(values.limit ?? 40));
const { result, verdicts } = await voteOnLicences(dirs);
for (const v of verdicts) {
  const answers = Object.entries(v.answers)
    .map(([a, l]) => `${a}=${l}`)
    .join(" ");
  console.log(`${v.package.padEnd(40)} ${(v.licence ?? "NO MAJORITY").padEnd(14)} ${v.error ?? answers}`);
}
const decided = verdicts.filter((v) => v.licence !== null).length;
console.log(
  `\n${decided}/${verdicts.length} decided by majority in ${result.executionTime.toFixed(2)} s with ${result.agentsUsed} agents (${result.metadata.patternsUsed.join(" + ")})`,
);
