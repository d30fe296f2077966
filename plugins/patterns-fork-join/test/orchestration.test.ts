import { createHash } from "node:crypto";
import { functionAgent, HierarchicalOrchestrator } from "@echelon/core";
import { afterEach, describe, expect, it } from "vitest";
import { forkJoinPattern } from "../src/index.js";

const digest = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 12);

describe("fork-join inside an orchestration", () => {
  let orchestrator: HierarchicalOrchestrator | undefined;
  afterEach(async () => {
    await orchestrator?.shutdown();
  });

  it("runs plan children as a DAG and passes dependency outputs", async () => {
    const order: string[] = [];
    orchestrator = new HierarchicalOrchestrator({
      plugins: [forkJoinPattern()],
      agents: [
        functionAgent({ capacity: 4 }, (work) => {
          order.push(work.taskId);
          return { task: work.taskId, input: work.input, digest: digest(JSON.stringify(work.input)) };
        }),
      ],
    });
    const result = await orchestrator.orchestrateComplexTask({
      id: "build",
      description: "build a report",
      pattern: "fork-join",
      patternOptions: { passOutputs: true },
      children: [
        { id: "fetch", description: "fetch", input: "rows" },
        { id: "count", description: "count", dependsOn: ["fetch"] },
        { id: "other", description: "unrelated", input: "x" },
      ],
    });
    expect(result.error).toBeNull();
    expect(result.success).toBe(true);
    const out = result.result as Record<string, { input: unknown }>;
    expect(Object.keys(out).sort()).toEqual(["count", "fetch", "other"]);
    expect(out.count?.input).toMatchObject({ fetch: { task: "fetch" } });
    expect(order.indexOf("count")).toBeGreaterThan(order.indexOf("fetch"));
  });

  it("fails fast inside an orchestration and reports the coded error", async () => {
    orchestrator = new HierarchicalOrchestrator({
      plugins: [forkJoinPattern()],
      agents: [
        functionAgent({ capacity: 4 }, (work) => {
          if (work.taskId === "bad") throw new Error("bad input file");
          return work.taskId;
        }),
      ],
    });
    const result = await orchestrator.orchestrateComplexTask({
      description: "two tasks",
      pattern: "fork-join",
      children: [
        { id: "bad", description: "bad" },
        { id: "after", description: "after", dependsOn: ["bad"] },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error?.code).toBe("ECHELON_FORK_JOIN_FAILED");
    expect(result.error?.details).toMatchObject({ failed: ["bad"], skipped: ["after"] });
  });
});
