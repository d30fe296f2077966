import { describe, expect, it } from "vitest";
import { runMapReduce, turnAgent } from "./helpers.js";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("windowing and memory", () => {
  it("never has more maps in flight than ctx.concurrency", async () => {
    const peak = { now: 0, max: 0 };
    const agents = [
      turnAgent(
        (x) => x,
        (w) => Number(w.input) % 4,
        peak,
        3,
      ),
      turnAgent(
        (x) => x,
        () => 1,
        peak,
        2,
      ),
    ];
    const r = await runMapReduce(range(200), agents, { reducer: "sum" });
    expect(r.result).toBe((199 * 200) / 2);
    expect(peak.max).toBeLessThanOrEqual(5);
    expect(r.details).toMatchObject({ window: 5 });
  });

  it("maxInFlight narrows the window", async () => {
    const peak = { now: 0, max: 0 };
    const r = await runMapReduce(
      range(50),
      [
        turnAgent(
          (x) => x,
          () => 2,
          peak,
          10,
        ),
      ],
      { maxInFlight: 2 },
    );
    expect(peak.max).toBeLessThanOrEqual(2);
    expect(r.result).toEqual(range(50));
  });

  it("an associative reducer holds O(window) partial results over 20,000 children", async () => {
    const agents = [
      turnAgent(
        (x) => Number(x),
        (w) => Number(w.input) % 7,
        undefined,
        4,
      ),
    ];
    const r = await runMapReduce(range(20_000), agents, { reducer: "sum" }, { keepOutputs: false });
    expect(r.result).toBe((19_999 * 20_000) / 2);
    expect(r.outcomes.every((o) => o.status === "completed" && !("output" in o))).toBe(true);
    expect(r.details.maxHeldPartials as number).toBeLessThanOrEqual(4 + 1);
  });

  it("a non-associative reducer holds every output (documented O(n))", async () => {
    const r = await runMapReduce(
      range(100),
      [turnAgent((x) => x, undefined, undefined, 4)],
      { reducer: "last" },
      {
        plugin: { reducers: { last: (_a, b) => b } },
      },
    );
    expect(r.result).toBe(99);
    expect(r.details.maxHeldPartials).toBe(100);
  });
});
