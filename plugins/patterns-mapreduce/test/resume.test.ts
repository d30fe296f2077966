import { functionAgent, HierarchicalOrchestrator, MemoryEventStore } from "@echelon/core";
import { afterEach, describe, expect, it } from "vitest";
import { mapReducePattern } from "../src/index.js";

let orchestrators: HierarchicalOrchestrator[] = [];
afterEach(async () => {
  for (const o of orchestrators) await o.shutdown();
  orchestrators = [];
});

const spec = (n: number) => ({
  id: "fan",
  description: `${n} items`,
  pattern: "mapreduce",
  patternOptions: { reducer: "concat", window: 4 },
  children: Array.from({ length: n }, (_, i) => ({ id: `t${i}`, description: `item ${i}`, input: i })),
});

describe("mapreduce in a resumed run", () => {
  it("takes journaled outputs without running those children again, reruns the rest, keeps the order", async () => {
    const full = new MemoryEventStore();
    const first = new HierarchicalOrchestrator({
      agents: [functionAgent({ name: "square" }, async (w) => (w.input as number) ** 2)],
      plugins: [mapReducePattern()],
      eventStore: full,
    });
    orchestrators.push(first);
    await first.orchestrateComplexTask(spec(30), { orchestrationId: "run" });
    // A "crash": the journal up to the 20th leaf completion, without the run's end.
    const events = await full.read("run");
    const done = events.filter((e) => e.type === "task:completed" && e.kind === "leaf");
    const cut = events.indexOf(done[20]!);
    const crashed = new MemoryEventStore();
    for (const e of events.slice(0, cut))
      if (!e.type.startsWith("orchestration:") || e.type === "orchestration:started") crashed.append(e);

    const ran: number[] = [];
    const second = new HierarchicalOrchestrator({
      agents: [
        functionAgent({ name: "square" }, async (w) => {
          ran.push(w.input as number);
          return (w.input as number) ** 2;
        }),
      ],
      plugins: [mapReducePattern()],
      eventStore: crashed,
    });
    orchestrators.push(second);
    const result = await second.resume("run");
    expect(result.error).toBeNull();
    expect(result.result).toEqual(Array.from({ length: 30 }, (_, i) => i ** 2));
    const journaled = new Set(done.slice(0, 20).map((e) => e.nodePath));
    expect(ran.length).toBe(30 - journaled.size);
    for (const input of ran) expect(journaled.has(`fan/t${input}`)).toBe(false);
  });
});
