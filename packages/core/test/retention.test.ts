import { describe, expect, it } from "vitest";
import {
  type EchelonEvent,
  estimateEventBytes,
  estimateJsonBytes,
  functionAgent,
  HierarchicalOrchestrator,
  MemoryEventStore,
} from "../src/index.js";
import { testPatterns } from "./support/test-patterns.js";

const KB = 1024;

/** The events of one run: started, one completed leaf whose output is `outputChars` long, and (unless running) the end. */
function runEvents(id: string, outputChars: number, finished = true): EchelonEvent[] {
  const base = { orchestrationId: id, ts: 0 };
  const plan = {
    taskId: "t",
    source: "spec",
    nodeCount: 1,
    leafCount: 1,
    depth: 0,
    root: {
      id: "t",
      path: "t",
      description: "t",
      input: null,
      depth: 0,
      complexity: "atomic",
      pattern: null,
      patternOptions: {},
      capabilities: [],
      priority: 0,
      dependsOn: [],
      children: [],
      expand: null,
      compensate: null,
      timeoutMs: null,
      retry: null,
      strategy: null,
      metadata: {},
    },
  };
  const events: Record<string, unknown>[] = [
    {
      ...base,
      type: "orchestration:started",
      nodePath: "t",
      taskId: "t",
      plan,
      levels: ["primary"],
      startedAtEpochMs: 1,
    },
    {
      ...base,
      type: "task:completed",
      nodePath: "t",
      taskId: "t",
      kind: "leaf",
      agentId: "a#1",
      output: "x".repeat(outputChars),
      durationMs: 1,
      attempts: 1,
    },
  ];
  if (finished)
    events.push({ ...base, type: "orchestration:completed", nodePath: "t", result: { state: "completed" } });
  return events as unknown as EchelonEvent[];
}

function appendAll(store: MemoryEventStore, events: readonly EchelonEvent[]): void {
  for (const e of events) store.append(e);
}

describe("retention bounded by size", () => {
  it("estimates grow with the data an event carries", () => {
    const [, small] = runEvents("a", 10);
    const [, large] = runEvents("a", 10_000);
    expect(estimateEventBytes(large!) - estimateEventBytes(small!)).toBe(9_990);
    expect(estimateJsonBytes({ a: [1.5, "abc"] })).toBeGreaterThan(estimateJsonBytes({ a: [] }));
  });

  it("an estimate of a value that refers to itself ends", () => {
    const loop: Record<string, unknown> = { name: "loop" };
    loop.self = loop;
    expect(estimateJsonBytes(loop)).toBeGreaterThan(0);
  });

  it("the memory store drops the oldest finished journals beyond maxBytes", () => {
    const store = new MemoryEventStore({ maxBytes: 250 * KB });
    for (const id of ["a", "b", "c", "d"]) appendAll(store, runEvents(id, 100 * KB));
    expect(store.list()).toEqual(["c", "d"]);
    expect(store.read("a")).toEqual([]);
    expect(store.read("d")).toHaveLength(3);
    expect(store.retainedBytes).toBeLessThanOrEqual(250 * KB);
  });

  it("the memory store never drops a running run, however large", async () => {
    const store = new MemoryEventStore({ maxBytes: 50 * KB });
    appendAll(store, runEvents("big", 500 * KB, false));
    for (const id of ["a", "b", "c"]) appendAll(store, runEvents(id, 20 * KB));
    expect(store.list()).toEqual(["big", "b", "c"]);
    expect(store.read("big")).toHaveLength(2);
    expect(await store.summaries()).toContainEqual(
      expect.objectContaining({ orchestrationId: "big", state: "running" }),
    );
  });

  it("a finished journal larger than maxBytes by itself is dropped when it ends, and only it; 0 keeps none", () => {
    const store = new MemoryEventStore({ maxBytes: 10 * KB });
    appendAll(store, runEvents("small", 10));
    appendAll(store, runEvents("huge", 100 * KB));
    expect(store.list()).toEqual(["small"]);
    const none = new MemoryEventStore({ maxBytes: 0 });
    appendAll(none, runEvents("x", 10, false));
    expect(none.list()).toEqual(["x"]);
    none.append(runEvents("x", 10)[2]!);
    expect(none.list()).toEqual([]);
  });

  it("a run started again under a finished run's id counts as running until it ends again", () => {
    const store = new MemoryEventStore({ maxBytes: 150 * KB });
    appendAll(store, runEvents("again", 100 * KB));
    expect(store.retainedBytes).toBeGreaterThan(100 * KB);
    appendAll(store, runEvents("again", 10, false));
    appendAll(store, runEvents("other", 100 * KB));
    appendAll(store, runEvents("third", 100 * KB));
    // Finished: other, third (200 KB > 150 KB) → other goes; "again" runs, however old its events.
    expect(store.list()).toEqual(["again", "third"]);
  });

  it("the count bound still applies", () => {
    const store = new MemoryEventStore({ maxOrchestrations: 2 });
    for (const id of ["a", "b", "c"]) appendAll(store, runEvents(id, 10));
    expect(store.list()).toEqual(["b", "c"]);
  });

  it.each([-1, 1.5, Number.NaN, 2 ** 60, Number.POSITIVE_INFINITY])(
    "refuses maxBytes %s with ECHELON_CONFIG_INVALID naming the option",
    (maxBytes) => {
      expect(() => new MemoryEventStore({ maxBytes })).toThrow(
        expect.objectContaining({
          code: "ECHELON_CONFIG_INVALID",
          details: expect.objectContaining({ option: "maxBytes" }),
        }),
      );
    },
  );

  it.each([-1, 0.5, "1mb"])("refuses retainFinishedBytes %s with ECHELON_CONFIG_INVALID", (value) => {
    expect(() => new HierarchicalOrchestrator({ retainFinishedBytes: value as number })).toThrow(
      expect.objectContaining({
        code: "ECHELON_CONFIG_INVALID",
        details: { issues: [expect.objectContaining({ path: "retainFinishedBytes" })] },
      }),
    );
  });

  const spec = (id: string, n: number, capabilities: string[] = []) => ({
    id,
    description: id,
    pattern: "test-parallel",
    children: Array.from({ length: n }, (_, i) => ({
      id: `c${i}`,
      description: `c${i}`,
      input: i,
      capabilities,
    })),
  });

  it("the orchestrator forgets a finished run larger than retainFinishedBytes by itself, and only it", async () => {
    const o = new HierarchicalOrchestrator({
      agents: [functionAgent({}, (w) => "h".repeat(Number(w.input)))],
      plugins: [testPatterns()],
      eventStore: null,
      retainFinishedBytes: 100 * KB,
    });
    const run = (id: string, chars: number) =>
      o.orchestrateComplexTask(
        {
          id,
          description: id,
          pattern: "test-parallel",
          children: [{ id: "c", description: "c", input: chars }],
        },
        { orchestrationId: id },
      );
    await run("small", 10);
    expect((await run("huge", 200 * KB)).success).toBe(true);
    expect(o.listOrchestrations()).toEqual(["small"]);
    await o.shutdown();
  });

  it("the orchestrator forgets the oldest finished runs beyond retainFinishedBytes", async () => {
    const o = new HierarchicalOrchestrator({
      agents: [functionAgent({}, (w) => "y".repeat(2 * KB) + String(w.input))],
      plugins: [testPatterns()],
      eventStore: null,
      retainFinishedBytes: 200 * KB,
    });
    for (const id of ["r1", "r2", "r3", "r4"]) {
      const result = await o.orchestrateComplexTask(spec(id, 40), { orchestrationId: id });
      expect(result.success).toBe(true);
    }
    // Each run holds 40 outputs of 2 KB (about 100 KB with its records and plan): the newest fit.
    const kept = o.listOrchestrations();
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept.length).toBeLessThan(4);
    expect(kept).toContain("r4");
    expect(kept).not.toContain("r1");
    expect(() => o.getOrchestrationStatus("r1")).toThrow(
      expect.objectContaining({
        code: "ECHELON_ORCHESTRATION_UNKNOWN",
        message: expect.stringContaining("retainFinishedBytes"),
      }),
    );
    expect(o.getOrchestrationStatus("r4").completedTasks).toBe(41);
    await o.shutdown();
  });

  it("a running orchestration stays known while finished ones are forgotten for size", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const o = new HierarchicalOrchestrator({
      agents: [
        functionAgent({ name: "slow", capabilities: ["slow"] }, async () => {
          await gate;
          return "z".repeat(50 * KB);
        }),
        functionAgent({ name: "fast", capabilities: ["fast"] }, () => "f".repeat(50 * KB)),
      ],
      plugins: [testPatterns()],
      eventStore: null,
      retainFinishedBytes: 1,
    });
    const slow = o.orchestrateComplexTask(spec("slow", 1, ["slow"]), { orchestrationId: "slow" });
    for (const id of ["f1", "f2"]) {
      const result = await o.orchestrateComplexTask(spec(id, 3, ["fast"]), { orchestrationId: id });
      expect(result.success).toBe(true);
    }
    expect(o.listOrchestrations()).toEqual(["slow"]);
    expect(o.getOrchestrationStatus("slow").state).toBe("running");
    release();
    expect((await slow).success).toBe(true);
    expect(o.listOrchestrations()).toEqual([]);
    await o.shutdown();
  });
});
