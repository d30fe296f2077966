import { functionAgent, createOrchestrator, type OrchestrationResult, type TaskSpec } from "echelon";
import {
  consistency,
  countSourceLines,
  readChangesets,
  readManifests,
  type WorkspacePackage,
} from "./checks.js";

/**
 * Checks this workspace with Fork-Join: reading manifests, reading changesets and counting
 * source lines run in parallel; `consistency` waits only for the two it needs (`dependsOn`)
 * and receives their outputs (`passOutputs`); `report` waits for everything.
 *
 * @param root - the workspace folder
 * @returns the measured result; `result.result` holds each task's output by id
 */
export async function checkWorkspace(root: string): Promise<OrchestrationResult> {
  const orchestrator = createOrchestrator({
    maxDepth: 1,
    agents: [
      functionAgent({ name: "reader", capabilities: ["read"], capacity: 3 }, (work) => {
        if (work.taskId === "manifests") return readManifests(root);
        if (work.taskId === "changesets") return readChangesets(root);
        return countSourceLines(root);
      }),
      functionAgent({ name: "checker", capabilities: ["check"] }, (work) => {
        const input = work.input as {
          manifests?: WorkspacePackage[];
          changesets?: string[];
          consistency?: unknown;
          lines?: Record<string, number>;
        };
        if (work.taskId === "consistency") return consistency(input.manifests!, input.changesets!);
        const lines = Object.values(input.lines!).reduce((n, l) => n + l, 0);
        return { packages: input.manifests!.length, sourceLines: lines, consistency: input.consistency };
      }),
    ],
  });
  const spec: TaskSpec = {
    id: "workspace",
    description: "Check the workspace",
    pattern: "fork-join",
    patternOptions: { passOutputs: true },
    children: [
      { id: "manifests", description: "read every package.json", capabilities: ["read"] },
      { id: "changesets", description: "read the changesets", capabilities: ["read"] },
      { id: "lines", description: "count source lines", capabilities: ["read"] },
      {
        id: "consistency",
        description: "compare manifests and changesets",
        dependsOn: ["manifests", "changesets"],
        capabilities: ["check"],
      },
      {
        id: "report",
        description: "summarise",
        dependsOn: ["manifests", "lines", "consistency"],
        capabilities: ["check"],
      },
    ],
  };
  try {
    return await orchestrator.orchestrateComplexTask(spec);
  } finally {
    await orchestrator.shutdown();
  }
}
