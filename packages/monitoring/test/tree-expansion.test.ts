import { functionAgent, HierarchicalOrchestrator } from "@echelon/core";
import { definePlugin } from "@echelon/core/plugin";
import { afterEach, describe, expect, it } from "vitest";
import { createMonitor, type Monitor } from "../src/index.js";
import { testPatterns } from "./support.js";

const open: Monitor[] = [];
afterEach(() => {
  for (const m of open.splice(0)) m.close();
});

/** An expander that picks the pattern itself: the plan's node has none. */
const words = definePlugin({
  name: "words",
  version: "0.0.0",
  register: (ctx) =>
    ctx.registerExpander({
      name: "words",
      expand: (request) => ({
        pattern: "test-parallel",
        children: String(request.input)
          .split(" ")
          .map((w) => ({ id: w, description: `upper-case ${w}`, input: w })),
      }),
    }),
});

describe("the monitor's tree of a plan that grows", () => {
  it("shows a grown node with the pattern and children its expansion gave it", async () => {
    const orchestrator = new HierarchicalOrchestrator({
      plugins: [testPatterns(), words],
      agents: [functionAgent({ capacity: 2 }, (work) => String(work.input).toUpperCase())],
    });
    const monitor = createMonitor({ orchestrator });
    open.push(monitor);
    const result = await orchestrator.orchestrateComplexTask(
      {
        id: "root",
        description: "shout",
        pattern: "test-parallel",
        children: [{ id: "say", description: "say it", input: "hello world", expand: { using: "words" } }],
      },
      { orchestrationId: "w" },
    );
    expect(result.result).toEqual([["HELLO", "WORLD"]]);
    const say = monitor.getOrchestrationStatus("w").tree!.children[0]!;
    expect(say).toMatchObject({ id: "say", pattern: "test-parallel", state: "completed" });
    expect(say.children.map((c) => [c.path, c.pattern, c.state])).toEqual([
      ["root/say/hello", null, "completed"],
      ["root/say/world", null, "completed"],
    ]);
    await orchestrator.shutdown();
  });
});
