import { createHash } from "node:crypto";
import { createMonitor } from "@echelon/monitoring";
import { functionAgent, createOrchestrator, MemoryEventStore, replayOrchestration } from "echelon";
import { walkPlan } from "echelon/plugin";
import { describe, expect, it } from "vitest";

const digest = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 12);

/** Agents that do real work on the task text: a digest of what they were asked to do. */
const workers = functionAgent({ capacity: 4 }, (work) => ({
  task: work.description,
  digest: digest(work.description),
}));

describe("full stack through the echelon package", () => {
  it("decomposes a text task, runs it across levels, and the monitor and the journal agree with the result", async () => {
    const store = new MemoryEventStore();
    const orchestrator = createOrchestrator({
      maxDepth: 2,
      maxAgentsPerLevel: [2, 6, 12],
      agents: [workers],
      eventStore: store,
    });
    const monitor = createMonitor({ orchestrator });
    const text = "Migrate entire platform: 50 microservices, 100 databases, 500 API endpoints, zero downtime";
    const plan = await orchestrator.plan(text);
    expect(plan.source).toBe("heuristic");
    expect(plan.depth).toBeGreaterThanOrEqual(1);
    const leaves: string[] = [];
    walkPlan(plan.root, (n) => {
      if (n.children.length === 0) leaves.push(n.description);
    });
    // Real decomposition: no leaf is the task text with a prefix.
    expect(leaves.every((d) => !d.endsWith(text))).toBe(true);

    const result = await orchestrator.orchestrateComplexTask(plan, { orchestrationId: "migrate" });
    expect(result.success).toBe(true);
    expect(result.levelsDeep).toBe(plan.depth + 1);
    expect(result.metadata.completedTasks).toBe(plan.nodeCount);
    expect(result.metadata.patternsUsed.length).toBeGreaterThan(0);
    expect(result.coordinationOverhead).toBeGreaterThanOrEqual(0);
    expect(result.coordinationOverhead).toBeLessThanOrEqual(100);

    const replay = replayOrchestration(store.read("migrate"));
    expect(replay.result).toEqual(JSON.parse(JSON.stringify(result)));
    const status = monitor.getOrchestrationStatus("migrate");
    expect(status.state).toBe("completed");
    expect(status.progress).toBe(100);
    // Every leaf ran at its own level, never above its level's cap.
    for (const level of orchestrator.getAgentHierarchy().levels)
      expect(level.peakLive).toBeLessThanOrEqual(level.cap);
    monitor.close();
    await orchestrator.shutdown();
  });

  it("a saga that fails part-way compensates the completed steps, visible in status and result", async () => {
    const done: string[] = [];
    const undone: string[] = [];
    const orchestrator = createOrchestrator({
      agents: [
        functionAgent({ capacity: 2 }, (work) => {
          if (work.metadata.undo === true) {
            undone.push(String((work.input as { output: { step: string } }).output.step));
            return { undone: true };
          }
          if (work.taskId === "publish") throw new Error("registry rejected the package");
          done.push(work.taskId);
          return { step: work.taskId, digest: digest(work.taskId) };
        }),
      ],
    });
    const step = (id: string) => ({
      id,
      description: `${id} the release`,
      compensate: { description: `undo ${id}`, metadata: { undo: true } },
    });
    const result = await orchestrator.orchestrateComplexTask(
      { description: "release", pattern: "saga", children: [step("build"), step("tag"), step("publish")] },
      { orchestrationId: "release" },
    );
    expect(result.success).toBe(false);
    expect(result.error?.code).toBe("ECHELON_SAGA_COMPENSATED");
    expect(done).toEqual(["build", "tag"]);
    expect(undone).toEqual(["tag", "build"]);
    const status = orchestrator.getOrchestrationStatus("release");
    expect(status.nodes["root/build"]!.state).toBe("compensated");
    expect(status.nodes["root/tag"]!.state).toBe("compensated");
    expect(status.nodes["root/publish"]!.state).toBe("failed");
    expect(result.metadata.compensatedTasks).toBe(2);
    await orchestrator.shutdown();
  });
});

describe("compensation by an in-process handler", () => {
  it("counts and shows handler-compensated steps like task-compensated ones", async () => {
    const { sagaPattern } = await import("echelon");
    const saga = sagaPattern();
    const undone: string[] = [];
    saga.pattern.registerCompensationHandler("reserve", (output) => {
      undone.push(String((output as { id: string }).id));
    });
    const orchestrator = createOrchestrator({
      plugins: [saga],
      agents: [
        functionAgent({}, (work) => {
          if (work.taskId === "charge") throw new Error("card declined");
          return { id: digest(work.taskId) };
        }),
      ],
    });
    const result = await orchestrator.orchestrateComplexTask(
      {
        description: "order",
        pattern: "saga",
        children: [
          { id: "reserve", description: "reserve stock" },
          { id: "charge", description: "charge card" },
        ],
      },
      { orchestrationId: "order" },
    );
    expect(result.error?.code).toBe("ECHELON_SAGA_COMPENSATED");
    expect(undone).toEqual([digest("reserve")]);
    expect(result.metadata.compensatedTasks).toBe(1);
    expect(orchestrator.getOrchestrationStatus("order").nodes["root/reserve"]!.state).toBe("compensated");
    await orchestrator.shutdown();
  });
});
