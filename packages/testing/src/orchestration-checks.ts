import type { OrchestrationResult, TaskSlice } from "@echelon/core";
import { expect } from "vitest";
import type { ConformanceCheck, ConformanceSubject } from "./conformance-checks.js";
import { failingAgent, hangingAgent, recordingAgent, slowAgent, type TestAgent } from "./test-agents.js";
import { createTestOrchestrator, patternSpec } from "./test-orchestrator.js";

const CODE = /^ECHELON_[A-Z0-9_]+$/;
const NEVER = 10 * 60_000;

function slicesOf(subject: ConformanceSubject): readonly TaskSlice[] {
  return subject.options.slices ?? [1, 2, 3, 4].map((n) => ({ sliceId: `s${n}`, content: n }));
}

async function orchestrate(
  subject: ConformanceSubject,
  agents: readonly TestAgent[],
  extra: { failure?: boolean; signal?: AbortSignal } = {},
): Promise<OrchestrationResult> {
  const t = createTestOrchestrator({ plugins: [subject.plugin], agents, abortGraceMs: 50 });
  try {
    const patternOptions = extra.failure
      ? (subject.options.failureOptions ?? subject.options.patternOptions)
      : subject.options.patternOptions;
    const spec = patternSpec(subject.pattern.name, slicesOf(subject), {
      ...(patternOptions ? { patternOptions } : {}),
      ...(subject.options.input !== undefined ? { input: subject.options.input } : {}),
    });
    return await t.orchestrator.orchestrateComplexTask(spec, extra.signal ? { signal: extra.signal } : {});
  } finally {
    await t.shutdown();
  }
}

function agentsOf(subject: ConformanceSubject, make: (i: number) => TestAgent): TestAgent[] {
  return Array.from({ length: subject.options.agents ?? 3 }, (_, i) => make(i));
}

/** The contracts checked inside a real `HierarchicalOrchestrator` (the node's children are the slices). */
export const PATTERN_ORCHESTRATION_CHECKS: readonly ConformanceCheck[] = [
  {
    name: "inside an orchestration: completes with a JSON result",
    async run(subject) {
      const agents = agentsOf(subject, () => recordingAgent(subject.options.work));
      const result = await orchestrate(subject, agents);
      expect(result.error).toBeNull();
      expect(result.success).toBe(true);
      expect(result.state).toBe("completed");
      expect(result.metadata.patternsUsed).toContain(subject.pattern.name);
      expect(JSON.parse(JSON.stringify(result.result))).toEqual(result.result);
      expect(agents.flatMap((a) => a.calls).length).toBeGreaterThan(0);
    },
  },
  {
    name: "inside an orchestration: failing agents fail it with a coded error",
    async run(subject) {
      const agents = agentsOf(subject, () => failingAgent());
      const result = await orchestrate(subject, agents, { failure: true });
      expect(result.success).toBe(false);
      expect(result.state).toBe("failed");
      expect(result.error?.code).toMatch(CODE);
    },
  },
  {
    name: "inside an orchestration: cancelling reaches every running agent and starts no more work",
    async run(subject) {
      const controller = new AbortController();
      const onStart = () => queueMicrotask(() => controller.abort());
      const agents = agentsOf(subject, () => slowAgent(NEVER, { onStart }));
      const result = await orchestrate(subject, agents, { signal: controller.signal });
      expect(result.state).toBe("cancelled");
      const calls = agents.flatMap((a) => a.calls);
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls) {
        expect(call.sawAbort).toBe(true);
        expect(call.abortedAtStart).toBe(false);
      }
    },
  },
  {
    name: "inside an orchestration: agents ignoring abort do not block cancellation",
    async run(subject) {
      const controller = new AbortController();
      const onStart = () => queueMicrotask(() => controller.abort());
      const agents = agentsOf(subject, () => hangingAgent({ onStart }));
      const result = await orchestrate(subject, agents, { signal: controller.signal });
      expect(result.state).toBe("cancelled");
    },
  },
];
