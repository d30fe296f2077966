import type { TaskSpec } from "echelon";
import { ANALYSERS } from "./analysers.js";
import type { DiscoverInput } from "./discover.js";

/**
 * The audit as a task tree: a pipeline of discovery (an agent walks `node_modules`), MapReduce
 * over what it found (one leaf per package, made when the stage is reached: `expand`), grouping
 * (an in-process stage processor), Scatter-Gather (the reviewers vote), a rendering pipeline and
 * a publishing Saga. The package list is not known when the plan is made.
 *
 * @param discover - the project folder to walk, and the most packages to audit
 * @param minVotes - votes that make a package worth a human look
 * @returns the spec
 */
export function auditSpec(discover: DiscoverInput, minVotes: number): TaskSpec {
  return {
    id: "dependency-audit",
    description: "Audit the installed dependency tree",
    pattern: "pipeline",
    children: [
      {
        id: "discover",
        description: "Find the packages installed under node_modules",
        pattern: "pipeline",
        // The stage (secondary) hands the walk to an agent at the level that does the audit's work.
        children: [
          {
            id: "walk",
            description: "Walk node_modules and list every installed package",
            input: { ...discover },
            capabilities: ["audit:discover"],
          },
        ],
      },
      {
        id: "analyse",
        description: "Analyse every installed package",
        pattern: "mapreduce",
        // One unreadable package must not sink the audit: failures are listed in the report.
        patternOptions: { reducer: "concat", onError: "continue" },
        // One leaf per package the discovery found, made when this stage is reached.
        expand: {
          items: "packages",
          each: {
            id: "pkg-{{index}}",
            description: "analyse {{item.label}}",
            input: { dir: "{{item.dir}}" },
            capabilities: ["audit:package"],
          },
        },
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
