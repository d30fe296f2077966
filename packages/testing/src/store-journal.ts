import type {
  EchelonErrorJson,
  EchelonEvent,
  OrchestrationResult,
  OrchestrationState,
  Plan,
} from "@echelon/core";
import { specToPlan } from "@echelon/core/plugin";

/** A run's events as the store conformance suite appends them. */
export interface JournalFixture {
  /** The run's id. */
  readonly orchestrationId: string;
  /** The plan the events belong to. */
  readonly plan: Plan;
  /** Every event, in order; the last is terminal unless `state` is `running`. */
  readonly events: readonly EchelonEvent[];
}

/** What {@link journalFixture} builds. */
export interface JournalFixtureOptions {
  /** How the run ends; `running` leaves it without a terminal event. Default `completed`. */
  readonly state?: Extract<OrchestrationState, "running" | "completed" | "failed" | "cancelled">;
  /** Leaves under the root. Default 4. */
  readonly leaves?: number;
}

const failure: EchelonErrorJson = {
  name: "EchelonError",
  code: "ECHELON_TASK_FAILED",
  message: "disk said no — «ENOSPC» ✗",
  details: { attempt: 1, path: ["a", 0, null], nested: { deep: [1.5, -0.25, 1e-7] } },
  cause: { name: "Error", message: "ENOSPC" },
};

/**
 * A realistic journal of one run, built from a real plan (`specToPlan`): the root is a saga
 * over `leaves` leaves; events cover every core kind (queued, started, progressed, retrying,
 * completed, failed, skipped, compensated, cancelled, pattern events) plus saga step records
 * (a plugin's events), outputs that repeat (the same output twice, a saga step's output equal
 * to its task's, the root output equal to the result's), unicode, floats, nulls and deep JSON.
 *
 * @param orchestrationId - the run's id
 * @param options - how it ends, how many leaves
 * @returns the plan and the events, in order
 */
export function journalFixture(orchestrationId: string, options: JournalFixtureOptions = {}): JournalFixture {
  const state = options.state ?? "completed";
  const leaves = options.leaves ?? 4;
  const plan = specToPlan(
    {
      id: "root",
      description: "conformance journal",
      pattern: "saga",
      input: { files: ["a.txt", "b.txt"] },
      children: Array.from({ length: leaves }, (_, i) => ({
        id: `step-${i}`,
        description: `step ${i}`,
        input: { n: i, text: "é✓" },
        ...(i === 0 ? { compensate: { description: "undo step 0" } } : {}),
      })),
    },
    { maxDepth: 1, patterns: ["saga"] },
  );
  const events: EchelonEvent[] = [];
  let ts = 1000.125;
  const base = (nodePath: string) => {
    ts += 0.731;
    return { orchestrationId, nodePath, ts };
  };
  const push = (event: Record<string, unknown>) => events.push(event as unknown as EchelonEvent);
  push({
    type: "orchestration:started",
    ...base("root"),
    taskId: "root",
    plan,
    levels: ["primary", "secondary"],
    startedAtEpochMs: Date.now(),
  });
  push({
    type: "task:started",
    ...base("root"),
    taskId: "root",
    kind: "composite",
    agentId: "coordinator#1",
    agentType: "coordinator",
    level: "primary",
    attempt: 1,
    pattern: "saga",
  });
  push({ type: "pattern:started", ...base("root"), pattern: "saga", children: leaves });
  const outputs: unknown[] = [];
  for (let i = 0; i < leaves; i++) {
    const path = `root/step-${i}`;
    const taskId = `step-${i}`;
    push({ type: "task:queued", ...base(path), taskId, kind: "leaf", level: "secondary" });
    push({
      type: "task:started",
      ...base(path),
      taskId,
      kind: "leaf",
      agentId: "agent-1",
      agentType: "test",
      level: "secondary",
      attempt: 1,
      pattern: null,
    });
    push({ type: "task:progressed", ...base(path), taskId, progress: 0.5, message: "half way" });
    if (i === 1) {
      push({ type: "task:retrying", ...base(path), taskId, attempt: 1, delayMs: 10, error: failure });
      push({
        type: "task:started",
        ...base(path),
        taskId,
        kind: "leaf",
        agentId: "agent-2",
        agentType: "test",
        level: "secondary",
        attempt: 2,
        pattern: null,
      });
    }
    // Leaves 0 and 2 return equal outputs: a store that keeps outputs once must still give both back.
    const output =
      i % 2 === 0
        ? { ok: true, lines: [1, 2, 3] }
        : { n: i, ratio: i / 3, note: null, "key with space": "∑" };
    outputs.push(output);
    push({
      type: "task:completed",
      ...base(path),
      taskId,
      kind: "leaf",
      agentId: "agent-1",
      output,
      durationMs: 12.345678901,
      attempts: i === 1 ? 2 : 1,
    });
    push({
      type: "saga:stepCompleted",
      ...base("root"),
      step: taskId,
      index: i,
      output,
      durationMs: 12.345678901,
    });
  }
  if (state === "running") return { orchestrationId, plan, events };
  if (state === "failed" || state === "cancelled") {
    push({
      type: "task:failed",
      ...base("root/step-0"),
      taskId: "step-0",
      kind: "leaf",
      agentId: null,
      error: failure,
      attempts: 3,
    });
    push({
      type: "task:started",
      ...base("root/step-0:compensate"),
      taskId: "step-0",
      kind: "compensation",
      agentId: "agent-1",
      agentType: "test",
      level: "secondary",
      attempt: 1,
      pattern: null,
    });
    push({ type: "task:compensated", ...base("root/step-0"), taskId: "step-0", output: { undone: true } });
    push({ type: "task:skipped", ...base("root/step-1"), taskId: "step-1", reason: "a dependency failed" });
    push({
      type: "task:cancelled",
      ...base("root/step-2"),
      taskId: "step-2",
      kind: "leaf",
      reason: "cancelled by request",
    });
    push({ type: "pattern:failed", ...base("root"), pattern: "saga", durationMs: 40.5, error: failure });
  } else {
    push({
      type: "pattern:completed",
      ...base("root"),
      pattern: "saga",
      durationMs: 40.5,
      status: "completed",
    });
    push({
      type: "task:completed",
      ...base("root"),
      taskId: "root",
      kind: "composite",
      agentId: "coordinator#1",
      output: outputs,
      durationMs: 41.25,
      attempts: 1,
    });
  }
  push({
    type: `orchestration:${state}`,
    ...base("root"),
    result: result(orchestrationId, state, state === "completed" ? outputs : null),
  });
  return { orchestrationId, plan, events };
}

function result(orchestrationId: string, state: OrchestrationState, output: unknown): OrchestrationResult {
  const success = state === "completed";
  return {
    taskId: "root",
    orchestrationId,
    success,
    state,
    result: output,
    executionTime: 0.0421,
    agentsUsed: 3,
    levelsDeep: 2,
    coordinationOverhead: 12.5,
    errorMessage: success ? null : failure.message,
    error: success ? null : failure,
    metadata: {
      patternsUsed: ["saga"],
      totalTasks: 5,
      expandedTasks: 0,
      completedTasks: success ? 5 : 2,
      failedTasks: success ? 0 : 1,
      cancelledTasks: success ? 0 : 1,
      compensatedTasks: success ? 0 : 1,
      skippedTasks: success ? 0 : 1,
      retries: 1,
      planSource: "spec",
      metrics: {
        wallMs: 42.1,
        lowerBoundMs: 36.8,
        criticalPathMs: 36.8,
        totalBusyMs: 49.4,
        leafSlots: 2,
        peakConcurrency: 2,
      },
      extra: { tokens: { input: 10, output: 20 } },
    },
  };
}
