import { relative } from "node:path";
import type { TaskSpec } from "echelon";
import { ANALYSERS } from "./analysers.js";
import type { InstalledPackage } from "./inventory.js";

/**
 * The audit as a task tree: a pipeline of MapReduce (one leaf per package), grouping (an
 * in-process stage processor), Scatter-Gather (the reviewers vote), a rendering pipeline and a
 * publishing Saga.
 *
 * @param packages - packages found on disk
 * @param root - project folder (for readable descriptions)
 * @param minVotes - votes that make a package worth a human look
 * @returns the spec
 */
export function auditSpec(packages: readonly InstalledPackage[], root: string, minVotes: number): TaskSpec {
  return {
    id: "dependency-audit",
    description: "Audit the installed dependency tree",
    pattern: "pipeline",
    children: [
      {
        id: "analyse",
        description: "Analyse every installed package",
        pattern: "mapreduce",
        // One unreadable package must not sink the audit: failures are listed in the report.
        patternOptions: { reducer: "concat", onError: "continue" },
        children: packages.map((p, i) => ({
          id: `pkg-${i}`,
          description: `analyse ${relative(root, p.dir)}`,
          input: { dir: p.dir },
          capabilities: ["audit:package"],
        })),
      },
      {
        id: "group",
        description: "Group packages by licence and scope",
        // Run in-process by the pipeline's `group` processor: reshaping, not agent work. The
        // capability names the agent the orchestrator's preflight insists on (see agents.ts).
        capabilities: ["audit:group"],
        metadata: { processor: "group" },
      },
      {
        id: "review",
        description: "Independent reviewers vote on packages worth a human look",
        pattern: "scatter-gather",
        patternOptions: { gather: "tally", minVotes },
        children: Object.keys(ANALYSERS).map((capability) => ({
          id: capability.replace("review:", ""),
          description: `${capability.replace("review:", "")} review`,
          capabilities: [capability],
        })),
      },
      {
        id: "render",
        description: "Render the report",
        pattern: "pipeline",
        children: [
          { id: "markdown", description: "Render Markdown", capabilities: ["render:markdown"] },
          { id: "html", description: "Render the HTML page with its chart", capabilities: ["render:html"] },
        ],
      },
      {
        id: "publish",
        description: "Publish the report atomically",
        pattern: "saga",
        children: [
          {
            id: "write-temp",
            description: "Write the report to a temporary folder",
            capabilities: ["publish:write"],
          },
          { id: "validate", description: "Validate the written files", capabilities: ["publish:validate"] },
          {
            id: "promote",
            description: "Promote the folder with an atomic rename",
            capabilities: ["publish:promote"],
          },
        ],
      },
    ],
  };
}
