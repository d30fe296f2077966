import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { functionAgent, HierarchicalOrchestrator, type OrchestrationResult } from "@echelon/core";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { HybridOrchestrator, twelveFactorAgent } from "../src/index.js";
import { gate, testPatterns } from "./support/patterns.js";
import { sha256, TextAgent } from "./support/text-agent.js";

const dir = mkdtempSync(join(tmpdir(), "echelon-hybrid-"));
const files = Array.from({ length: 5 }, (_, i) => {
  const path = join(dir, `f${i}.txt`);
  const text = `File number ${i}. ${"lorem ipsum ".repeat(i + 1)}end.`;
  writeFileSync(path, text);
  return { path, text };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function setup(
  agents = [twelveFactorAgent(() => new TextAgent(), { capabilities: ["text"] })],
  maxParallel?: number,
) {
  const orchestrator = new HierarchicalOrchestrator({
    plugins: [testPatterns()],
    agents,
    maxAgentsPerLevel: [2, 2],
  });
  const hybrid = new HybridOrchestrator({ orchestrator, ...(maxParallel ? { maxParallel } : {}) });
  cleanups.push(async () => {
    await hybrid.shutdown();
    await orchestrator.shutdown();
  });
  return { orchestrator, hybrid };
}

const slowChildren = ["a", "b", "c"].map((id) => ({ id, description: id, capabilities: ["slow"] }));

describe("HybridOrchestrator: an orchestration inside a background agent", () => {
  it("returns an id at once and completes with real file hashes and 100% progress", async () => {
    const { hybrid } = setup();
    const id = hybrid.launch({
      description: "hash files",
      pattern: "parallel",
      children: files.map((f, i) => ({
        id: `f${i}`,
        description: `hash ${i}`,
        input: { path: f.path },
        capabilities: ["text"],
      })),
    });
    expect(["queued", "running"]).toContain(hybrid.getStatus(id).background.state);
    const final = await hybrid.wait(id);
    expect(final.background.state).toBe("completed");
    expect(final.background.progress).toBe(100);
    const result = final.background.result as OrchestrationResult;
    expect(result.orchestrationId).toBe(id);
    expect((result.result as { sha256: string }[]).map((r) => r.sha256)).toEqual(
      files.map((f) => sha256(f.text)),
    );
    expect(final.orchestration?.state).toBe("completed");
  });

  it("terminating the background agent cancels its orchestration", async () => {
    const g = gate();
    const { orchestrator, hybrid } = setup([
      functionAgent({ capabilities: ["slow"] }, async (_w, ctx) => g.wait(ctx.signal)),
    ]);
    const started = new Promise((r) => orchestrator.events.on("task:started", r));
    const id = hybrid.launch({ description: "slow", pattern: "parallel", children: slowChildren });
    await started;
    const cancelled = new Promise<OrchestrationResult>((resolve) =>
      orchestrator.events.on("orchestration:cancelled", (e) => resolve(e.result)),
    );
    const status = await hybrid.terminate(id);
    expect(status.state).toBe("terminated");
    expect((await cancelled).error?.code).toBe("ECHELON_CANCELLED");
    expect(hybrid.getStatus(id).orchestration?.state).toBe("cancelled");
  });

  it("pauses and resumes the inner orchestration while the background agent keeps running", async () => {
    const g = gate();
    const ran: string[] = [];
    const { orchestrator, hybrid } = setup([
      functionAgent({ capabilities: ["slow"] }, async (w, ctx) => {
        ran.push(w.taskId);
        await g.wait(ctx.signal);
        return w.taskId;
      }),
    ]);
    const first = new Promise((r) => orchestrator.events.on("task:started", r));
    const id = hybrid.launch(
      { description: "seq", pattern: "sequence", children: slowChildren },
      { id: "seq-1" },
    );
    await first;
    expect(hybrid.pause(id)).toBe(true);
    expect(hybrid.getStatus(id)).toMatchObject({
      background: { state: "running" },
      orchestration: { state: "paused" },
    });
    const aDone = new Promise((r) => orchestrator.events.on("task:completed", r));
    g.open();
    await aDone;
    await new Promise((r) => setImmediate(r));
    expect(ran).toEqual(["a"]);
    expect(hybrid.resume(id)).toBe(true);
    const final = await hybrid.wait(id);
    expect(final.background.state).toBe("completed");
    expect((final.background.result as OrchestrationResult).result).toEqual(["a", "b", "c"]);
  });

  it("a queued launch can be paused before it starts, and runs once resumed", async () => {
    const g = gate();
    const { orchestrator, hybrid } = setup(
      [
        functionAgent({ capabilities: ["slow"] }, async (w, ctx) => {
          await g.wait(ctx.signal);
          return w.taskId;
        }),
      ],
      1,
    );
    const first = hybrid.launch({ description: "one", pattern: "parallel", children: slowChildren });
    const second = hybrid.launch({ description: "two", pattern: "parallel", children: slowChildren });
    expect(hybrid.getStatus(second).background.state).toBe("queued");
    expect(hybrid.pause(second)).toBe(true);
    expect(hybrid.getStatus(second).orchestration).toBeNull();
    g.open();
    expect((await hybrid.wait(first)).background.state).toBe("completed");
    expect(hybrid.getStatus(second).background.state).toBe("paused");
    expect(hybrid.resume(second)).toBe(true);
    expect((await hybrid.wait(second)).background.state).toBe("completed");
    expect(orchestrator.listOrchestrations()).toEqual([first, second]);
  });

  it("a failing orchestration fails the background agent with a coded error", async () => {
    const { hybrid } = setup();
    const id = hybrid.launch({
      description: "bad",
      pattern: "parallel",
      children: [
        {
          id: "x",
          description: "missing",
          input: { path: join(dir, "missing.txt") },
          capabilities: ["text"],
        },
      ],
    });
    const final = await hybrid.wait(id);
    expect(final.background.state).toBe("failed");
    expect(final.background.error?.code).toBe("ECHELON_ADAPTER_TASK_FAILED");
    expect(final.background.error?.message).toContain("ENOENT");
  });
});
