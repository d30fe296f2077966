import { describe, expect, it } from "vitest";
import {
  type EchelonEvent,
  functionAgent,
  HierarchicalOrchestrator,
  MemoryEventStore,
  type TaskSpec,
} from "../src/index.js";
import { testPatterns, timer } from "./support/test-patterns.js";

// Regressions found by the crash harness (@echelon/crash-tests): a resumed run that was being
// cancelled never compensated its saga, and a cancel requested while no process held the run
// was seen only at the first poll, after the resumed run had started new work.

const spec: TaskSpec = {
  id: "order",
  description: "order",
  pattern: "test-sequence",
  children: [
    { id: "a", description: "a" },
    {
      id: "saga",
      description: "saga",
      pattern: "test-saga",
      children: [
        { id: "e", description: "e", compensate: { description: "undo e" } },
        { id: "f", description: "f", compensate: { description: "undo f" } },
        { id: "stop", description: "cancels the run while it runs" },
        { id: "h", description: "h", compensate: { description: "undo h" } },
      ],
    },
  ],
};

/** Applied effect keys in order, and the journal length when each was applied. */
interface Effects {
  readonly keys: string[];
  readonly at: number[];
}

function orchestrator(store: MemoryEventStore, effects: Effects, cancelPollMs = 1000) {
  const o: HierarchicalOrchestrator = new HierarchicalOrchestrator({
    maxDepth: 2,
    agents: [
      functionAgent({ capacity: 4 }, async (work, ctx) => {
        await new Promise<void>((r) => setImmediate(r));
        if (work.taskId === "stop") {
          o.cancelOrchestration(ctx.orchestrationId);
          await timer(60_000, ctx.signal);
        }
        if (!effects.keys.includes(ctx.idempotencyKey)) {
          effects.keys.push(ctx.idempotencyKey);
          effects.at.push(store.read("run").length);
        }
        return work.taskId;
      }),
    ],
    plugins: [testPatterns()],
    eventStore: store,
    cancelPollMs,
  });
  return o;
}

/** A store holding the first `k` events of a journal: the journal of a process killed after write k. */
function crashedAfter(events: readonly EchelonEvent[], k: number): MemoryEventStore {
  const store = new MemoryEventStore();
  for (const e of events.slice(0, k)) store.append(e);
  return store;
}

async function faultFree() {
  const store = new MemoryEventStore();
  const effects: Effects = { keys: [], at: [] };
  const o = orchestrator(store, effects);
  const result = await o.orchestrateComplexTask(spec, { orchestrationId: "run" });
  await o.shutdown();
  return { events: [...store.read("run")], effects, result };
}

const saga = (keys: readonly string[]) => keys.filter((k) => k.startsWith("run/order/saga/"));

describe("resume of a run that was being cancelled", () => {
  it("compensates the completed saga steps exactly once, in reverse, after a cut at every write from the cancel on", async () => {
    const reference = await faultFree();
    expect(reference.result.state).toBe("cancelled");
    expect(saga(reference.effects.keys)).toEqual([
      "run/order/saga/e",
      "run/order/saga/f",
      "run/order/saga/f:compensate",
      "run/order/saga/e:compensate",
    ]);
    const from = reference.events.findIndex((e) => e.type === "orchestration:cancelling") + 1;
    expect(from).toBeGreaterThan(0);
    for (let k = from; k < reference.events.length; k++) {
      const store = crashedAfter(reference.events, k);
      const effects: Effects = { keys: [], at: [] };
      reference.effects.keys.forEach((key, i) => {
        if (reference.effects.at[i]! < k) effects.keys.push(key);
      });
      const o = orchestrator(store, effects);
      const resumed = await o.resume("run");
      await o.shutdown();
      expect({ k, state: resumed.state, code: resumed.error?.code }).toEqual({
        k,
        state: reference.result.state,
        code: reference.result.error?.code,
      });
      expect({ k, effects: effects.keys }).toEqual({ k, effects: reference.effects.keys });
    }
  });

  it("applies a cancel requested while no process held the run before the resumed run starts any work", async () => {
    const reference = await faultFree();
    // Cut right after step f completed, before the cancel: the killed process never saw it.
    const k =
      reference.events.findIndex((e) => e.type === "task:completed" && e.nodePath === "order/saga/f") + 1;
    const store = crashedAfter(reference.events, k);
    expect(await store.requestCancel("run")).toBe("requested");
    const effects: Effects = { keys: [], at: [] };
    reference.effects.keys.forEach((key, i) => {
      if (reference.effects.at[i]! < k) effects.keys.push(key);
    });
    // The first poll would come after a second, long after this resume ends: the claim must see it.
    const o = orchestrator(store, effects, 1000);
    const resumed = await o.resume("run");
    await o.shutdown();
    expect(resumed.state).toBe("cancelled");
    expect(saga(effects.keys)).toEqual([
      "run/order/saga/e",
      "run/order/saga/f",
      "run/order/saga/f:compensate",
      "run/order/saga/e:compensate",
    ]);
    expect(resumed.error).toMatchObject({
      code: "ECHELON_CANCELLED",
      message: "Cancelled by a request from another process.",
    });
    expect(store.read("run").filter((e) => e.type === "orchestration:cancelling")).toHaveLength(1);
  });
});
