import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import {
  type AgentWork,
  functionAgent,
  createOrchestrator,
  OrchestrationPattern,
  createPatternExecutor,
} from "echelon";

const readmes = ["typescript", "vite", "vitest"].map((p) =>
  resolve(import.meta.dirname, "../../../node_modules", p, "README.md"),
);
const countWords = async (work: AgentWork) =>
  (await readFile(String(work.input), "utf8")).split(/\s+/).filter(Boolean).length;

// A plan with a MapReduce, run by agents on a hierarchy of levels.
const orchestrator = createOrchestrator({
  maxDepth: 2,
  maxAgentsPerLevel: [1, 2, 4],
  agents: [functionAgent({ capabilities: ["count"], capacity: 2 }, countWords)],
});
const result = await orchestrator.orchestrateComplexTask({
  description: "Count the words of three READMEs",
  pattern: "mapreduce",
  patternOptions: { reducer: "sum" },
  children: readmes.map((path) => ({ description: `count ${path}`, input: path, capabilities: ["count"] })),
});
console.log(
  `${result.result} words in ${result.executionTime.toFixed(3)} s, ${result.agentsUsed} agents, ${result.levelsDeep} levels`,
);
await orchestrator.shutdown();

// The same pattern directly on slices, without a plan.
const executor = createPatternExecutor();
const slices = readmes.map((path, i) => ({ sliceId: `readme-${i}`, content: path }));
const run = await executor.executePattern(OrchestrationPattern.MAPREDUCE, slices, [countWords], {
  patternOptions: { reducer: "sum" },
});
console.log(`${run.result} words again, ${run.status} in ${run.executionTimeMs.toFixed(1)} ms`);
