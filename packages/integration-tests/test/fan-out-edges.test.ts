import {
  createOrchestrator,
  functionAgent,
  heuristicDecomposer,
  MemoryEventStore,
  type TaskSpec,
} from "echelon";
import { definePlugin } from "echelon/plugin";
import { describe, expect, it } from "vitest";

/**
 * The edges of run-time expansion: an empty list, a template inside a template, what lazy
 * decomposition inherits, pause and timeouts. (Each was first written as an expected failure
 * against core, then core was mended.)
 */
describe("run-time expansion at its edges", () => {
  it("an empty list runs every pattern on no child: identity, empty results, or a coded refusal", async () => {
    const outcomes: Record<string, unknown> = {};
    for (const pattern of ["mapreduce", "pipeline", "fork-join", "saga", "scatter-gather"]) {
      const orchestrator = createOrchestrator({ agents: [functionAgent({ capabilities: ["x"] }, () => 1)] });
      const result = await orchestrator.orchestrateComplexTask({
        description: "read the hits",
        pattern,
        input: { hits: [] },
        expand: { items: "hits", each: { description: "read {{item}}", capabilities: ["x"] } },
      });
      await orchestrator.shutdown();
      outcomes[pattern] = result.error?.code ?? result.result;
    }
    expect(outcomes).toEqual({
      mapreduce: [],
      pipeline: { hits: [] },
      "fork-join": {},
      saga: {},
      "scatter-gather": "ECHELON_SCATTER_GATHER_NO_RESPONDENTS",
    });
  });

  it("an expansion over an empty list completes its node, the pattern run on no child", async () => {
    const orchestrator = createOrchestrator({ agents: [functionAgent({ capabilities: ["x"] }, () => 1)] });
    const result = await orchestrator.orchestrateComplexTask({
      description: "search and read the hits",
      pattern: "mapreduce",
      input: { hits: [] },
      expand: { items: "hits", each: { description: "read {{item}}", capabilities: ["x"] } },
    });
    await orchestrator.shutdown();
    expect(result.error).toBeNull();
    expect(result.result).toEqual([]);
  });

  it("a template inside a template renders with its own item", async () => {
    const read: string[] = [];
    const orchestrator = createOrchestrator({
      agents: [functionAgent({ capabilities: ["read"], capacity: 4 }, (work) => read.push(work.description))],
    });
    const each = {
      id: "{{item.name}}",
      description: "folder {{item.name}}",
      pattern: "fork-join",
      input: "{{item}}",
      expand: { items: "files", each: { description: "read {{item}}", capabilities: ["read"] } },
    } satisfies TaskSpec;
    await orchestrator.orchestrateComplexTask({
      description: "read every file of every folder",
      pattern: "fork-join",
      input: {
        folders: [
          { name: "a", files: ["a1", "a2"] },
          { name: "b", files: ["b1"] },
        ],
      },
      expand: { items: "folders", each },
    });
    await orchestrator.shutdown();
    expect(read.sort()).toEqual(["read a1", "read a2", "read b1"]);
  });

  it("lazy decomposition hands the decomposer the node's priority, so its parts keep it", async () => {
    const store = new MemoryEventStore();
    const orchestrator = createOrchestrator({
      maxDepth: 3,
      eventStore: store,
      plugins: [heuristicDecomposer({ capabilities: false, eagerLevels: 1, override: true })],
      agents: [functionAgent({ capacity: 2 }, (work) => work.priority)],
    });
    await orchestrator.orchestrateComplexTask(
      "Patch the api and the worker, then restart the cluster. This is urgent.",
      { orchestrationId: "urgent" },
    );
    await orchestrator.shutdown();
    const [expansion] = store.read("urgent").filter((e) => e.type === "plan:expanded");
    const children = expansion?.type === "plan:expanded" ? expansion.children : [];
    expect(children.map((c) => c.priority)).toEqual([2, 2]);
  });

  it("a paused run does not expand: no expander (or decomposer, or LLM) call until resumed", async () => {
    let expandedWhilePaused = false;
    let paused = false;
    const orchestrator = createOrchestrator({
      agents: [
        functionAgent({ name: "first", capabilities: ["first"] }, () => "ok"),
        functionAgent({ capabilities: ["x"] }, () => 1),
      ],
      plugins: [
        definePlugin({
          name: "one",
          version: "0.0.0",
          register: (ctx) =>
            ctx.registerExpander({
              name: "one",
              expand: () => {
                expandedWhilePaused ||= paused;
                return { children: [{ description: "y", capabilities: ["x"] }] };
              },
            }),
        }),
      ],
    });
    orchestrator.events.on("task:completed", (e) => {
      if (e.taskId !== "first") return;
      paused = orchestrator.pauseOrchestration("p");
      setTimeout(() => {
        paused = false;
        orchestrator.resumeOrchestration("p");
      }, 100);
    });
    await orchestrator.orchestrateComplexTask(
      {
        description: "x",
        pattern: "pipeline",
        children: [
          { id: "first", description: "first", capabilities: ["first"] },
          { id: "grow", description: "grow", pattern: "fork-join", expand: { using: "one" } },
        ],
      },
      { orchestrationId: "p" },
    );
    await orchestrator.shutdown();
    expect(expandedWhilePaused).toBe(false);
  });

  it("a node's timeoutMs bounds its expansion: a hung expander times out", async () => {
    const orchestrator = createOrchestrator({
      agents: [functionAgent({ capabilities: ["x"] }, () => 1)],
      plugins: [
        definePlugin({
          name: "hang",
          version: "0.0.0",
          register: (ctx) =>
            ctx.registerExpander({
              name: "hang",
              expand: (request) =>
                new Promise((_resolve, reject) =>
                  request.signal.addEventListener("abort", () => reject(request.signal.reason), {
                    once: true,
                  }),
                ),
            }),
        }),
      ],
    });
    const pending = orchestrator.orchestrateComplexTask(
      { description: "x", pattern: "fork-join", timeoutMs: 50, expand: { using: "hang" } },
      { orchestrationId: "h" },
    );
    // Bound the test itself: a run still waiting after a second is cancelled.
    const guard = setTimeout(() => orchestrator.cancelOrchestration("h"), 1_000);
    const result = await pending;
    clearTimeout(guard);
    await orchestrator.shutdown();
    expect(result.error?.code).toBe("ECHELON_TASK_TIMEOUT");
  });
});
