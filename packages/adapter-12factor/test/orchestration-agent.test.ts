import {
  functionAgent,
  HierarchicalOrchestrator,
  type HierarchySnapshot,
  type OrchestrationResult,
} from "@echelon/core";
import { afterEach, describe, expect, it } from "vitest";
import { ORCHESTRATION_TOOL_SCHEMAS, OrchestrationEnabledAgent, twelveFactorAgent } from "../src/index.js";
import { gate, testPatterns } from "./support/patterns.js";
import { TextAgent, textStats } from "./support/text-agent.js";

const texts = [
  "Alpha beta gamma. Beta gamma!",
  "One fish, two fish, red fish, blue fish.",
  "To be or not to be.",
];
const spec = {
  description: "text statistics",
  pattern: "parallel",
  children: texts.map((text, i) => ({
    id: `t${i}`,
    description: `stats ${i}`,
    input: { text },
    capabilities: ["text"],
  })),
};

let orchestrators: HierarchicalOrchestrator[] = [];
afterEach(async () => {
  await Promise.all(orchestrators.map((o) => o.shutdown()));
  orchestrators = [];
});

function make(extra: ConstructorParameters<typeof HierarchicalOrchestrator>[0] = {}) {
  const o = new HierarchicalOrchestrator({
    plugins: [testPatterns()],
    agents: [twelveFactorAgent(() => new TextAgent(), { capabilities: ["text"] })],
    ...extra,
  });
  orchestrators.push(o);
  return o;
}

describe("OrchestrationEnabledAgent tools", () => {
  it("exposes the six tools, each with an object JSON Schema", () => {
    const agent = new OrchestrationEnabledAgent({ orchestrator: make() });
    const tools = agent.listTools();
    expect(tools.map((t) => t.name)).toEqual(Object.keys(ORCHESTRATION_TOOL_SCHEMAS));
    expect(tools.map((t) => t.name)).toContain("get_agent_hierarchy");
    for (const t of tools) expect(t.parameters.type).toBe("object");
  });

  it("get_agent_hierarchy answers with the orchestrator's live hierarchy snapshot", async () => {
    const orchestrator = make();
    const agent = new OrchestrationEnabledAgent({ orchestrator });
    const before = await agent.callTool("get_agent_hierarchy", {});
    expect(before).toMatchObject({ success: true, data: { totalAgents: 0 } });
    expect((before.data as HierarchySnapshot).levels.map((l) => l.name)).toEqual(
      orchestrator.getAgentHierarchy().levels.map((l) => l.name),
    );
    await agent.callTool("orchestrate_complex_task", { task: spec });
    const after = await agent.callTool("get_agent_hierarchy", {});
    expect(after.success).toBe(true);
    expect(after.data).toEqual(orchestrator.getAgentHierarchy());
    const snapshot = after.data as HierarchySnapshot;
    expect(snapshot.totalAgents).toBeGreaterThan(0);
    const workers = snapshot.levels.flatMap((l) => l.agents).filter((a) => a.role === "worker");
    expect(workers.reduce((sum, a) => sum + a.completed, 0)).toBe(3);
    expect(after.message).toMatch(/^\d+ agents? on \d+ levels?: /);
    const refused = await agent.callTool("get_agent_hierarchy", { level: 1 });
    expect(refused.error?.code).toBe("ECHELON_TOOL_ARGUMENTS_INVALID");
  });

  it("orchestrate_complex_task (wait) runs 12-Factor workers and returns the measured result", async () => {
    const agent = new OrchestrationEnabledAgent({ orchestrator: make() });
    const response = await agent.callTool("orchestrate_complex_task", { task: spec });
    expect(response.success).toBe(true);
    const result = response.data as OrchestrationResult;
    expect(result.result).toEqual(texts.map((t) => textStats(t)));
    expect(result.metadata.completedTasks).toBe(4);
  });

  it("starts without waiting, then reports status and result through get_orchestration_status", async () => {
    const orchestrator = make();
    const agent = new OrchestrationEnabledAgent({ orchestrator });
    const done = new Promise((resolve) => orchestrator.events.on("orchestration:completed", resolve));
    const started = await agent.callTool("orchestrate_complex_task", {
      task: spec,
      orchestrationId: "job-1",
      wait: false,
    });
    expect(started).toMatchObject({ success: true, data: { orchestrationId: "job-1", state: "running" } });
    await done;
    const status = await agent.callTool("get_orchestration_status", { orchestrationId: "job-1" });
    expect(status.success).toBe(true);
    expect(status.data).toMatchObject({ state: "completed", progress: 100, result: { success: true } });
  });

  it("compacts bad input into a coded response: invalid spec, unknown pattern, unknown id, bad arguments", async () => {
    const agent = new OrchestrationEnabledAgent({ orchestrator: make() });
    const invalid = await agent.callTool("orchestrate_complex_task", { task: { description: "" } });
    expect(invalid).toMatchObject({ success: false, error: { code: "ECHELON_SPEC_INVALID" } });
    const unknownPattern = await agent.callTool("orchestrate_complex_task", {
      task: { description: "x", pattern: "nope", children: [{ description: "a" }] },
      wait: false,
    });
    expect(unknownPattern).toMatchObject({ success: false, error: { code: "ECHELON_PATTERN_UNKNOWN" } });
    for (const tool of [
      "get_orchestration_status",
      "cancel_orchestration",
      "pause_orchestration",
      "resume_orchestration",
    ]) {
      const r = await agent.callTool(tool, { orchestrationId: "never" });
      expect(r).toMatchObject({
        success: false,
        data: null,
        error: { code: "ECHELON_ORCHESTRATION_UNKNOWN" },
      });
    }
    const badArgs = await agent.callTool("cancel_orchestration", { id: 1 });
    expect(badArgs.error?.code).toBe("ECHELON_TOOL_ARGUMENTS_INVALID");
  });

  it("reports a shut-down orchestrator as ECHELON_ORCHESTRATOR_SHUT_DOWN instead of throwing", async () => {
    const orchestrator = make();
    await orchestrator.shutdown();
    const agent = new OrchestrationEnabledAgent({ orchestrator });
    for (const wait of [true, false]) {
      const response = await agent.callTool("orchestrate_complex_task", { task: spec, wait });
      expect(response).toMatchObject({
        success: false,
        data: null,
        error: { code: "ECHELON_ORCHESTRATOR_SHUT_DOWN" },
      });
    }
    const asTask = await agent.run({ description: "x", input: spec });
    expect(asTask.error?.code).toBe("ECHELON_ORCHESTRATOR_SHUT_DOWN");
  });

  it("pauses dispatch, resumes it, and cancels a running orchestration", async () => {
    const g = gate();
    const started: string[] = [];
    const orchestrator = make({
      maxAgentsPerLevel: [1, 1],
      agents: [
        functionAgent({ capabilities: ["slow"] }, async (work, ctx) => {
          started.push(work.taskId);
          await g.wait(ctx.signal);
          return work.taskId;
        }),
      ],
    });
    const agent = new OrchestrationEnabledAgent({ orchestrator });
    const children = ["a", "b", "c"].map((id) => ({ id, description: id, capabilities: ["slow"] }));
    const firstStarted = new Promise((r) => orchestrator.events.on("task:started", r));
    await agent.callTool("orchestrate_complex_task", {
      task: { description: "slow", pattern: "sequence", children },
      orchestrationId: "p",
      wait: false,
    });
    await firstStarted;
    const paused = await agent.callTool("pause_orchestration", { orchestrationId: "p" });
    expect(paused.data).toMatchObject({ paused: true, state: "paused" });
    const completedA = new Promise((r) => orchestrator.events.on("task:completed", r));
    g.open();
    await completedA;
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(["a"]);
    const resumed = await agent.callTool("resume_orchestration", { orchestrationId: "p" });
    expect(resumed.data).toMatchObject({ resumed: true });
    const ended = new Promise((r) => orchestrator.events.on("orchestration:completed", r));
    await ended;
    expect(started).toEqual(["a", "b", "c"]);

    const g2 = gate();
    const o2 = make({
      agents: [functionAgent({ capabilities: ["slow"] }, async (_w, ctx) => g2.wait(ctx.signal))],
    });
    const agent2 = new OrchestrationEnabledAgent({ orchestrator: o2 });
    const running = agent2.callTool("orchestrate_complex_task", {
      task: { description: "s", pattern: "parallel", children },
      orchestrationId: "c",
    });
    await new Promise((r) => o2.events.on("task:started", r));
    const cancelled = await agent2.callTool("cancel_orchestration", { orchestrationId: "c" });
    expect(cancelled.data).toMatchObject({ cancelled: true });
    const final = await running;
    expect(final).toMatchObject({
      success: false,
      error: { code: "ECHELON_CANCELLED" },
      data: { state: "cancelled" },
    });
  });

  it("as a task, orchestrates its input spec and reports the orchestration's progress", async () => {
    const agent = new OrchestrationEnabledAgent({ orchestrator: make() });
    const progress: number[] = [];
    const response = await agent.run(
      { description: "run it", input: spec },
      { onProgress: (p) => progress.push(p) },
    );
    expect(response.success).toBe(true);
    expect(progress.at(-1)).toBe(1);
    expect(progress.length).toBeGreaterThanOrEqual(4);
    expect(agent.checkpoint().state.launched).toHaveLength(1);
  });
});

describe("twelveFactorAgent", () => {
  it("turns a failed ToolResponse into a task failure coded ECHELON_ADAPTER_TASK_FAILED", async () => {
    const orchestrator = make();
    const result = await orchestrator.orchestrateComplexTask({
      description: "read",
      pattern: "parallel",
      children: [
        {
          id: "f",
          description: "missing file",
          input: { path: "/nonexistent/echelon/x.txt" },
          capabilities: ["text"],
        },
      ],
    });
    expect(result.success).toBe(false);
    const nodes = Object.values(orchestrator.getOrchestrationStatus(result.orchestrationId).nodes);
    const failed = nodes.find((n) => n.path.endsWith("/f"));
    expect(failed?.errorCode).toBe("ECHELON_ADAPTER_TASK_FAILED");
    expect(result.errorMessage).toContain("ENOENT");
  });

  it("is retried by core's retry policy: a transient failure on attempt 1 succeeds on attempt 2", async () => {
    class Flaky extends TextAgent {
      override async executeTask(
        task: Parameters<TextAgent["executeTask"]>[0],
        ctx: Parameters<TextAgent["executeTask"]>[1],
      ) {
        if (ctx.attempt === 1)
          return {
            success: false,
            data: null,
            error: { code: "ECHELON_TEST_TRANSIENT" as const, message: "try again" },
          };
        return super.executeTask(task, ctx);
      }
    }
    const orchestrator = make({
      agents: [twelveFactorAgent(() => new Flaky(), { capabilities: ["text"] })],
      defaultRetry: { attempts: 2, backoffMs: 1 },
    });
    const result = await orchestrator.orchestrateComplexTask(spec);
    expect(result.success).toBe(true);
    expect(result.metadata.retries).toBe(3);
  });

  it("shares one instance (maxInstances 1) and accumulates its state", async () => {
    const shared = new TextAgent();
    const orchestrator = make({ agents: [twelveFactorAgent(shared, { capabilities: ["text"] })] });
    await orchestrator.orchestrateComplexTask(spec);
    expect(shared.checkpoint().state.tasksDone).toBe(3);
  });

  it("rejects bad options with ECHELON_CONFIG_INVALID", () => {
    expect(() => twelveFactorAgent(new TextAgent(), { capabilities: ["x"], capacity: 0 })).toThrow(
      expect.objectContaining({ code: "ECHELON_CONFIG_INVALID" }),
    );
    expect(() => twelveFactorAgent({} as never, { capabilities: [] })).toThrow(
      expect.objectContaining({ code: "ECHELON_CONFIG_INVALID" }),
    );
  });
});
