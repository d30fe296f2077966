import { describe, expect, it } from "vitest";
import {
  foldRunState,
  functionAgent,
  HierarchicalOrchestrator,
  MemoryEventStore,
  type OrchestrationStatus,
  type TaskSpec,
} from "../src/index.js";
import { DECOMPOSER, definePlugin, type Expander, specToPlan } from "../src/plugin.js";
import { testPatterns, timer } from "./support/test-patterns.js";

const upper = functionAgent({ capacity: 8, capabilities: ["shout"] }, (w) => String(w.input).toUpperCase());
/** Finds "packages" at run time: the list is known only after this step ran. */
const discover = functionAgent({ name: "discover", capabilities: ["discover"] }, () => ({
  packages: [
    { name: "alpha", version: "1.0.0", after: "gamma" },
    { name: "beta", version: "2.1.0", after: "alpha" },
    { name: "gamma", version: "0.3.0", after: "beta" },
  ],
}));

const fanOutSpec = (extra: Partial<TaskSpec["expand"]> = {}): TaskSpec => ({
  id: "audit",
  description: "audit what is installed",
  pattern: "test-sequence",
  children: [
    { id: "discover", description: "list the installed packages", capabilities: ["discover"] },
    {
      id: "analyse",
      description: "analyse each package",
      pattern: "test-parallel",
      expand: {
        items: "packages",
        each: {
          id: "{{item.name}}",
          description: "analyse {{item.name}}@{{item.version}}",
          input: "{{item.name}}",
          capabilities: ["shout"],
        },
        ...extra,
      },
    },
  ],
});

function counts(s: OrchestrationStatus): number {
  return (
    s.pendingTasks +
    s.runningTasks +
    s.completedTasks +
    s.failedTasks +
    s.cancelledTasks +
    s.skippedTasks +
    s.compensatedTasks
  );
}

describe("run-time fan-out", () => {
  it("a node's children come from a previous pipeline stage's output, by a declared template", async () => {
    const store = new MemoryEventStore();
    const o = new HierarchicalOrchestrator({
      agents: [upper, discover],
      plugins: [testPatterns()],
      eventStore: store,
    });
    const before: number[] = [];
    o.events.on("task:started", (e) => {
      if (e.taskId === "discover") before.push(o.getOrchestrationStatus("fan").totalTasks);
    });
    const result = await o.orchestrateComplexTask(fanOutSpec(), { orchestrationId: "fan" });
    expect(result.result).toEqual(["ALPHA", "BETA", "GAMMA"]);
    const status = o.getOrchestrationStatus("fan");
    expect(before).toEqual([3]);
    expect(status).toMatchObject({ totalTasks: 6, completedTasks: 6, expandedTasks: 3 });
    expect(counts(status)).toBe(status.totalTasks);
    expect(status.nodes["audit/analyse/beta"]).toMatchObject({ state: "completed" });
    // Journaled: a replay rebuilds the same tree and counts.
    const replayed = foldRunState(store.read("fan"));
    expect(Object.keys(replayed.expansions)).toEqual(["audit/analyse"]);
    expect(replayed.expansions["audit/analyse"]!.children.map((c) => c.path)).toEqual([
      "audit/analyse/alpha",
      "audit/analyse/beta",
      "audit/analyse/gamma",
    ]);
    expect(replayed.totalTasks).toBe(6);
    await o.shutdown();
  });

  it("bounds children per expansion (the node's and the orchestrator's) and tasks per run, before any child runs", async () => {
    const ran: string[] = [];
    const counting = functionAgent({ capabilities: ["shout"], capacity: 4 }, (w) =>
      ran.push(String(w.input)),
    );
    const o = new HierarchicalOrchestrator({
      agents: [counting, discover],
      plugins: [testPatterns()],
      expansion: { maxChildren: 2 },
    });
    const tooMany = await o.orchestrateComplexTask(fanOutSpec());
    expect(tooMany.error).toMatchObject({
      code: "ECHELON_EXPANSION_TOO_MANY_CHILDREN",
      details: { children: 3, maxChildren: 2 },
    });
    const own = await new HierarchicalOrchestrator({
      agents: [counting, discover],
      plugins: [testPatterns()],
    }).orchestrateComplexTask(fanOutSpec({ maxChildren: 1 }));
    expect(own.error?.code).toBe("ECHELON_EXPANSION_TOO_MANY_CHILDREN");
    const perRun = await new HierarchicalOrchestrator({
      agents: [counting, discover],
      plugins: [testPatterns()],
      expansion: { maxTasks: 2 },
    }).orchestrateComplexTask(fanOutSpec());
    expect(perRun.error?.code).toBe("ECHELON_EXPANSION_LIMIT");
    expect(ran).toEqual([]);
    await o.shutdown();
  });

  it("refuses bad expansions with coded errors and their paths: not a list, an invalid child, a cycle, an unknown capability", async () => {
    const o = new HierarchicalOrchestrator({ agents: [upper, discover], plugins: [testPatterns()] });
    const notAList = await o.orchestrateComplexTask(fanOutSpec({ items: "packages.0" }));
    expect(notAList.error).toMatchObject({ code: "ECHELON_EXPANSION_INVALID" });
    expect(notAList.errorMessage).toContain("needs a list at input.packages.0");
    const invalid = await o.orchestrateComplexTask(
      fanOutSpec({ each: { id: "{{item.name}}", description: "{{item.missing}}", capabilities: ["shout"] } }),
    );
    expect(invalid.error).toMatchObject({
      code: "ECHELON_EXPANSION_INVALID",
      details: {
        issues: [
          { path: "children[0].description" },
          { path: "children[1].description" },
          { path: "children[2].description" },
        ],
      },
    });
    const cycle = await o.orchestrateComplexTask(
      fanOutSpec({
        each: {
          id: "{{item.name}}",
          description: "x {{item.name}}",
          dependsOn: ["{{item.after}}"],
          capabilities: ["shout"],
        },
      }),
    );
    expect(cycle.error?.code).toBe("ECHELON_EXPANSION_INVALID");
    expect(JSON.stringify(cycle.error)).toContain("ECHELON_SPEC_DEPENDENCY_CYCLE");
    const capability = await o.orchestrateComplexTask(
      fanOutSpec({ each: { id: "{{item.name}}", description: "x", capabilities: ["fly"] } }),
    );
    expect(capability.error?.code).toBe("ECHELON_AGENT_NO_CAPABILITY");
    await o.shutdown();
  });

  it("refuses a broken template and an unknown expander at plan time", async () => {
    const o = new HierarchicalOrchestrator({ agents: [upper, discover], plugins: [testPatterns()] });
    await expect(
      o.orchestrateComplexTask(fanOutSpec({ each: { description: "x", bogus: 1 } as never })),
    ).rejects.toMatchObject({
      code: "ECHELON_SPEC_INVALID",
      details: { issues: [{ path: "children[1].expand.each", message: 'unknown key "bogus"' }] },
    });
    await expect(
      o.orchestrateComplexTask({ description: "x", pattern: "test-parallel", expand: { using: "nope" } }),
    ).rejects.toMatchObject({ code: "ECHELON_EXPANDER_UNKNOWN" });
    expect(() => specToPlan({ description: "x", expand: { items: "a" } }, { maxDepth: 2 })).toThrow(
      expect.objectContaining({ code: "ECHELON_SPEC_INVALID" }),
    );
    await o.shutdown();
  });

  it("an expander plugin makes children from TypeScript; a resumed run never expands twice", async () => {
    let calls = 0;
    const words: Expander = {
      name: "words",
      expand(request) {
        calls++;
        return {
          children: String(request.input)
            .split(" ")
            .map((w) => ({ id: w, description: `shout ${w}`, input: w, capabilities: ["shout"] })),
        };
      },
    };
    const plugin = definePlugin({
      name: "words-plugin",
      version: "1.0.0",
      register: (ctx) => ctx.registerExpander(words),
    });
    const store = new MemoryEventStore();
    const spec: TaskSpec = {
      id: "w",
      description: "words",
      pattern: "test-parallel",
      input: "a b c",
      expand: { using: "words" },
    };
    const o = new HierarchicalOrchestrator({
      agents: [upper],
      plugins: [testPatterns(), plugin],
      eventStore: store,
    });
    expect((await o.orchestrateComplexTask(spec, { orchestrationId: "w" })).result).toEqual(["A", "B", "C"]);
    await o.shutdown();
    expect(calls).toBe(1);
    // Cut the journal right after the expansion and resume in a "fresh process".
    const journal = store.read("w");
    const cut = journal.findIndex((e) => e.type === "plan:expanded") + 1;
    const crashed = new MemoryEventStore();
    for (const e of journal.slice(0, cut)) crashed.append(e);
    const again = new HierarchicalOrchestrator({
      agents: [upper],
      plugins: [testPatterns(), plugin],
      eventStore: crashed,
    });
    expect((await again.resume("w")).result).toEqual(["A", "B", "C"]);
    expect(calls).toBe(1);
    await again.shutdown();
  });

  it("lazy decomposition: a leaf is split by the decomposer when it is reached, within maxDepth", async () => {
    let decomposed = 0;
    const splitter = definePlugin({
      name: "splitter",
      version: "1.0.0",
      register: (ctx) =>
        ctx.bind(DECOMPOSER, {
          name: "semicolons",
          decompose(task, options) {
            if (typeof task !== "string" && task.children !== undefined)
              return specToPlan(task, { maxDepth: options.maxDepth });
            decomposed++;
            const text = typeof task === "string" ? task : task.description;
            const parts = text.split(";").map((t) => t.trim());
            return specToPlan(
              parts.length < 2
                ? { description: text, capabilities: ["shout"] }
                : {
                    description: text,
                    pattern: "test-parallel",
                    children: parts.map((p) => ({ description: p, input: p, capabilities: ["shout"] })),
                  },
              { maxDepth: options.maxDepth },
            );
          },
        }),
    });
    const o = new HierarchicalOrchestrator({
      maxDepth: 2,
      agents: [upper],
      plugins: [testPatterns(), splitter],
    });
    const result = await o.orchestrateComplexTask({
      id: "root",
      description: "root",
      pattern: "test-parallel",
      children: [{ id: "later", description: "wash; dry; fold", expand: { using: "decompose" } }],
    });
    expect(result.result).toEqual([["WASH", "DRY", "FOLD"]]);
    expect(decomposed).toBe(1);
    await o.shutdown();
  });

  it("cancellation covers added nodes", async () => {
    const slow = functionAgent({ capabilities: ["shout"], capacity: 8 }, async (_w, ctx) =>
      timer(60_000, ctx.signal),
    );
    const o = new HierarchicalOrchestrator({ agents: [slow, discover], plugins: [testPatterns()] });
    const pending = o.orchestrateComplexTask(fanOutSpec(), { orchestrationId: "c" });
    await new Promise<void>((resolve) => {
      o.events.on("task:started", (e) => {
        if (e.nodePath === "audit/analyse/gamma") resolve();
      });
    });
    o.cancelOrchestration("c");
    const result = await pending;
    expect(result.state).toBe("cancelled");
    const status = o.getOrchestrationStatus("c");
    expect(status.cancelledTasks).toBe(5);
    expect(counts(status)).toBe(status.totalTasks);
    await o.shutdown();
  });
});
