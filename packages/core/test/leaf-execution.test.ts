import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type AgentContext, EchelonError, functionAgent, HierarchicalOrchestrator } from "../src/index.js";
import { testPatterns, timer } from "./support/test-patterns.js";

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

function orchestrator(fn: Parameters<typeof functionAgent>[1], extra: Record<string, unknown> = {}) {
  return new HierarchicalOrchestrator({
    maxDepth: 1,
    agents: [functionAgent({ capacity: 4 }, fn)],
    plugins: [testPatterns()],
    ...extra,
  });
}

describe("leaf execution", () => {
  it("a timeout aborts the agent's signal with ECHELON_TASK_TIMEOUT", async () => {
    let seen: unknown;
    const o = orchestrator(async (_w, ctx) => {
      try {
        await timer(10_000, ctx.signal);
      } catch (e) {
        seen = e;
        throw e;
      }
    });
    const r = await o.orchestrateComplexTask({ description: "slow", timeoutMs: 20 });
    expect(r.success).toBe(false);
    expect(r.state).toBe("failed");
    expect(r.error?.code).toBe("ECHELON_TASK_TIMEOUT");
    expect(seen).toMatchObject({ code: "ECHELON_TASK_TIMEOUT" });
    await o.shutdown();
  });

  it("retries with backoff and then succeeds; attempts and idempotency key are visible to the agent", async () => {
    const calls: Array<{ attempt: number; key: string; at: number }> = [];
    const o = orchestrator((work, ctx: AgentContext) => {
      calls.push({ attempt: ctx.attempt, key: ctx.idempotencyKey, at: performance.now() });
      if (ctx.attempt < 3) throw new Error(`transient ${ctx.attempt}`);
      return sha(String(work.input));
    });
    const r = await o.orchestrateComplexTask(
      { id: "job", description: "hash", input: "echelon", retry: { attempts: 3, backoffMs: 15, factor: 2 } },
      { orchestrationId: "run-1" },
    );
    expect(r.success).toBe(true);
    expect(r.result).toBe(sha("echelon"));
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(new Set(calls.map((c) => c.key))).toEqual(new Set(["run-1/job"]));
    // The waits are real timers: at least the configured backoff (15 ms, then 30 ms).
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(14);
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(29);
    expect(r.metadata.retries).toBe(2);
    await o.shutdown();
  });

  it("retries exhausted → failed result with the code, and a status that shows what completed", async () => {
    const o = orchestrator((work) => {
      if (work.taskId === "bad") throw new Error("disk full");
      return sha(String(work.input));
    });
    const r = await o.orchestrateComplexTask(
      {
        description: "mixed",
        pattern: "test-sequence",
        children: [
          { id: "ok1", description: "first", input: "a" },
          { id: "bad", description: "second", retry: { attempts: 2, backoffMs: 1 } },
          { id: "never", description: "third" },
        ],
      },
      { orchestrationId: "mixed" },
    );
    expect(r.success).toBe(false);
    expect(r.error?.code).toBe("ECHELON_TASK_FAILED");
    expect(r.errorMessage).toContain("disk full");
    const status = o.getOrchestrationStatus("mixed");
    expect(status.state).toBe("failed");
    expect(status.nodes["root/ok1"]!.state).toBe("completed");
    expect(status.nodes["root/bad"]).toMatchObject({
      state: "failed",
      attempts: 2,
      errorCode: "ECHELON_TASK_FAILED",
    });
    expect(status.nodes["root/never"]).toBeUndefined();
    expect(status.completedTasks).toBe(1);
    expect(r.metadata.retries).toBe(1);
    await o.shutdown();
  });

  it("an agent that ignores the abort is retired after the grace period; its late answer is discarded", async () => {
    let lateAnswers = 0;
    const o = new HierarchicalOrchestrator({
      maxDepth: 0,
      maxAgentsPerLevel: [1],
      abortGraceMs: 30,
      agents: [
        functionAgent({}, async (work) => {
          if (work.input === "hang") {
            await new Promise((r) => setTimeout(r, 150));
            lateAnswers++;
            return "late";
          }
          return "fine";
        }),
      ],
    });
    const retired: string[] = [];
    o.events.on("agent:retired", (e) => retired.push(e.reason));
    const r1 = await o.orchestrateComplexTask({ description: "hangs", input: "hang", timeoutMs: 10 });
    expect(r1.error?.code).toBe("ECHELON_TASK_TIMEOUT");
    // The level cap is 1: this only runs once the hung agent was retired.
    const r2 = await o.orchestrateComplexTask({ description: "next", input: "ok" });
    expect(r2.result).toBe("fine");
    expect(retired[0]).toContain("ignored an abort");
    await new Promise((r) => setTimeout(r, 200));
    expect(lateAnswers).toBe(1);
    await o.shutdown();
  });

  it("a non-serialisable output fails the task with ECHELON_RESULT_NOT_SERIALIZABLE (no retry)", async () => {
    let calls = 0;
    const o = orchestrator(() => {
      calls++;
      return { when: new Map([["a", 1]]) };
    });
    const r = await o.orchestrateComplexTask({
      description: "bad output",
      retry: { attempts: 3, backoffMs: 1 },
    });
    expect(r.error?.code).toBe("ECHELON_RESULT_NOT_SERIALIZABLE");
    expect(r.errorMessage).toContain("$.when");
    expect(calls).toBe(1);
    await o.shutdown();
  });

  it("progress reports become task:progressed events", async () => {
    const o = orchestrator((work, ctx) => {
      const text = String(work.input);
      let vowels = 0;
      for (let i = 0; i < text.length; i++) {
        if ("aeiou".includes(text[i]!)) vowels++;
        if (i === Math.floor(text.length / 2)) ctx.report(0.5, "half way");
      }
      return vowels;
    });
    const progress: number[] = [];
    o.events.on("task:progressed", (e) => progress.push(e.progress));
    const r = await o.orchestrateComplexTask({ description: "vowels", input: "orchestration" });
    expect(r.result).toBe(5);
    expect(progress).toEqual([0.5]);
    await o.shutdown();
  });
});

describe("retry policy edges", () => {
  it("does not retry an error its raiser marked retryable: false", async () => {
    let calls = 0;
    const o = new HierarchicalOrchestrator({
      agents: [
        functionAgent({}, () => {
          calls++;
          throw new EchelonError("ECHELON_TEST_BUDGET", "budget spent", { details: { retryable: false } });
        }),
      ],
    });
    const r = await o.orchestrateComplexTask({ description: "x", retry: { attempts: 5, backoffMs: 1 } });
    expect(r.error?.code).toBe("ECHELON_TEST_BUDGET");
    expect(calls).toBe(1);
    await o.shutdown();
  });
});
