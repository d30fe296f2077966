import { describe, expect, it } from "vitest";
import { definePlugin, type Pattern } from "../src/plugin.js";
import {
  EchelonError,
  type EchelonEvent,
  functionAgent,
  HierarchicalOrchestrator,
  MemoryEventStore,
  NonRetryableError,
  type TaskSpec,
} from "../src/index.js";
import { testPatterns } from "./support/test-patterns.js";

// Regression found by the crash harness (@echelon/crash-tests): a failure replayed from the
// journal lost its cause and its class (NonRetryableError came back as a plain EchelonError),
// so a resumed run reported a different error than the run that died would have.

/** Runs children in order; a failure is wrapped with the child's error as `cause` (as the saga plugin does). */
const wrapping: Pattern = {
  name: "test-wrap",
  ordering: "sequential",
  async execute(children, ctx) {
    const outputs: unknown[] = [];
    for (const child of children) {
      try {
        outputs.push(await ctx.runChild(child));
      } catch (error) {
        throw new EchelonError("ECHELON_TEST_WRAPPED", `step ${child.id} failed`, { cause: error });
      }
    }
    return { result: outputs };
  },
};

const spec: TaskSpec = {
  id: "job",
  description: "job",
  pattern: "test-sequence",
  children: [
    {
      id: "steps",
      description: "steps",
      pattern: "test-wrap",
      children: [
        { id: "ok", description: "ok" },
        { id: "bad", description: "declined" },
      ],
    },
  ],
};

function orchestrator(store: MemoryEventStore) {
  return new HierarchicalOrchestrator({
    maxDepth: 2,
    agents: [
      functionAgent({}, (work) => {
        if (work.taskId === "bad")
          throw new NonRetryableError("bad was declined.", { details: { why: "no" } });
        return work.taskId;
      }),
    ],
    plugins: [
      testPatterns(),
      definePlugin({ name: "test-wrap", version: "0.0.0", register: (ctx) => ctx.registerPattern(wrapping) }),
    ],
    eventStore: store,
  });
}

describe("failures replayed from the journal", () => {
  it("keep their code, details, cause and NonRetryableError class: a resumed run reports the same error", async () => {
    const store = new MemoryEventStore();
    const o = orchestrator(store);
    const reference = await o.orchestrateComplexTask(spec, { orchestrationId: "run" });
    await o.shutdown();
    expect(reference.error).toMatchObject({
      code: "ECHELON_TEST_WRAPPED",
      cause: { name: "NonRetryableError", code: "ECHELON_TASK_FAILED" },
    });
    const events: readonly EchelonEvent[] = [...store.read("run")];
    for (let k = 2; k < events.length; k++) {
      const cut = new MemoryEventStore();
      for (const e of events.slice(0, k)) cut.append(e);
      const again = orchestrator(cut);
      const resumed = await again.resume("run");
      await again.shutdown();
      expect({ k, error: resumed.error }).toEqual({ k, error: reference.error });
    }
  });
});
