import { functionAgent, createOrchestrator } from "echelon";
import { describe, expect, it } from "vitest";
import { followProgress } from "../src/progress.js";

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return {
    chunks,
    stream: {
      isTTY,
      columns: 120,
      write: (s: string) => chunks.push(s),
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
      on: () => {},
      removeListener: () => {},
    },
  };
}

const spec = {
  description: "lengths",
  pattern: "mapreduce",
  patternOptions: { reducer: "sum" },
  children: ["alpha", "beta", "gamma"].map((w) => ({ description: w, input: w, capabilities: ["len"] })),
};
const agents = [functionAgent({ capabilities: ["len"] }, (work) => String(work.input).length)];

describe("followProgress", () => {
  it("writes plain lines per level when not on a terminal", async () => {
    const orchestrator = createOrchestrator({ agents });
    const out = sink(false);
    const stop = followProgress(orchestrator.events, orchestrator.levels, "lines", out.stream);
    const result = await orchestrator.orchestrateComplexTask(spec);
    stop();
    await orchestrator.shutdown();
    const text = out.chunks.join("");
    expect(text).toContain(`started ${result.orchestrationId}: 4 tasks over 2 level(s)`);
    expect(text).toContain("mapreduce started at ");
    expect(text).toContain("progress 4/4 (primary 1/1, secondary 3/3)");
  });

  it("draws one bar per level on a terminal", async () => {
    const orchestrator = createOrchestrator({ agents });
    const out = sink(true);
    const stop = followProgress(orchestrator.events, orchestrator.levels, "bars", out.stream);
    await orchestrator.orchestrateComplexTask(spec);
    stop();
    await orchestrator.shutdown();
    const text = out.chunks.join("");
    expect(text).toMatch(/primary\s+\|.*\| 1\/1 done, 0 failed/);
    expect(text).toMatch(/secondary\s+\|.*\| 3\/3 done, 0 failed/);
  });

  it("writes nothing in mode none", async () => {
    const orchestrator = createOrchestrator({ agents });
    const out = sink(true);
    const stop = followProgress(orchestrator.events, orchestrator.levels, "none", out.stream);
    await orchestrator.orchestrateComplexTask(spec);
    stop();
    await orchestrator.shutdown();
    expect(out.chunks).toEqual([]);
  });
});
