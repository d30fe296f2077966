import { describe, expect, it } from "vitest";
import {
  type EchelonEvent,
  EventBus,
  functionAgent,
  HierarchicalOrchestrator,
  MemoryEventStore,
  replayOrchestration,
} from "../src/index.js";
import { testPatterns } from "./support/test-patterns.js";

const wordCount = functionAgent({ capacity: 2 }, (w) => String(w.input).split(/\s+/).filter(Boolean).length);

describe("event bus and journal", () => {
  it("a throwing listener is reported and never breaks the run", async () => {
    const o = new HierarchicalOrchestrator({ agents: [wordCount], plugins: [testPatterns()] });
    const failures: string[] = [];
    o.events.on("task:completed", () => {
      throw new Error("listener bug");
    });
    o.events.on("bus:listenerFailed", (e) => failures.push(`${e.event}: ${e.message}`));
    const r = await o.orchestrateComplexTask({
      description: "count",
      pattern: "test-parallel",
      children: [{ description: "a", input: "one two three" }],
    });
    expect(r).toMatchObject({ success: true, result: [3] });
    expect(failures).toEqual(["task:completed: listener bug", "task:completed: listener bug"]);
    await o.shutdown();
  });

  it("every event carries orchestration id, node path and a monotonic timestamp", async () => {
    const o = new HierarchicalOrchestrator({ agents: [wordCount], plugins: [testPatterns()] });
    const events: EchelonEvent[] = [];
    o.events.onAny((e) => events.push(e));
    await o.orchestrateComplexTask(
      {
        id: "doc",
        description: "count",
        pattern: "test-parallel",
        children: [{ id: "p1", description: "a", input: "x y" }],
      },
      { orchestrationId: "ev" },
    );
    const own = events.filter((e) => e.orchestrationId === "ev");
    expect(own.map((e) => e.type)).toEqual([
      "orchestration:started",
      "task:started",
      "pattern:started",
      "task:started",
      "task:completed",
      "pattern:completed",
      "task:completed",
      "orchestration:completed",
    ]);
    expect(own.filter((e) => e.type.startsWith("task:")).map((e) => e.nodePath)).toEqual([
      "doc",
      "doc/p1",
      "doc/p1",
      "doc",
    ]);
    for (let i = 1; i < own.length; i++) expect(own[i]!.ts).toBeGreaterThanOrEqual(own[i - 1]!.ts);
    expect(events.some((e) => e.type === "agent:spawned" && e.orchestrationId === "")).toBe(true);
    await o.shutdown();
  });

  it("replaying one orchestration's events rebuilds its status and results; events are JSON", async () => {
    const store = new MemoryEventStore();
    const o = new HierarchicalOrchestrator({
      agents: [wordCount],
      plugins: [testPatterns()],
      eventStore: store,
    });
    const r = await o.orchestrateComplexTask(
      {
        description: "count words",
        pattern: "test-parallel",
        children: [
          { id: "a", description: "a", input: "the quick brown fox" },
          { id: "b", description: "b", input: "jumps over" },
          {
            id: "c",
            description: "c",
            pattern: "test-parallel",
            children: [{ id: "c1", description: "c1", input: "lazy dog" }],
          },
        ],
      },
      { orchestrationId: "replay-me" },
    );
    const journal = store.read("replay-me");
    const revived = JSON.parse(JSON.stringify(journal)) as EchelonEvent[];
    const replay = replayOrchestration(revived);
    const live = o.getOrchestrationStatus("replay-me");
    expect(replay.status).toEqual({ ...live, elapsedMs: replay.status.elapsedMs });
    expect(replay.status.elapsedMs).toBeCloseTo(live.elapsedMs, 6);
    expect(replay.result).toEqual(JSON.parse(JSON.stringify(r)));
    expect(replay.outputs.get("root/a")).toBe(4);
    expect(replay.outputs.get("root/c/c1")).toBe(2);
    expect(replay.outputs.get("root")).toEqual([4, 2, [2]]);
    await o.shutdown();
  });

  it("the memory store keeps only the most recent orchestrations", () => {
    const store = new MemoryEventStore({ maxOrchestrations: 2 });
    for (const id of ["a", "b", "c"]) {
      store.append({
        type: "orchestration:paused",
        orchestrationId: id,
        nodePath: "",
        ts: 0,
      } as EchelonEvent);
    }
    expect(store.list()).toEqual(["b", "c"]);
    expect(store.read("a")).toEqual([]);
  });

  it("a bus with no listeners builds no event; off() unsubscribes", () => {
    const bus = new EventBus();
    expect(bus.hasListeners("task:started")).toBe(false);
    const seen: string[] = [];
    const listener = (e: { nodePath: string }) => seen.push(e.nodePath);
    const off = bus.on("task:cancelled", listener);
    bus.emit(
      "task:cancelled",
      { orchestrationId: "o", nodePath: "x", ts: 1 },
      { taskId: "x", kind: "leaf", reason: "r" },
    );
    off();
    bus.emit(
      "task:cancelled",
      { orchestrationId: "o", nodePath: "y", ts: 2 },
      { taskId: "y", kind: "leaf", reason: "r" },
    );
    expect(seen).toEqual(["x"]);
  });
});
