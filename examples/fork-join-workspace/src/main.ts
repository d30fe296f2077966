import { resolve } from "node:path";
import { checkWorkspace } from "./run.js";

const result = await checkWorkspace(resolve(process.argv[2] ?? "../.."));
const outputs = result.result as { report?: unknown };
console.log(JSON.stringify(outputs.report ?? result.error, null, 2));
console.log(
  `\n${result.state} in ${result.executionTime.toFixed(3)} s, ${result.agentsUsed} agents, overhead ${result.coordinationOverhead.toFixed(1)} %`,
);
