import { describe, expect, it } from "vitest";
import { definePlugin, type Pattern, type TaskSlice } from "../src/index.js";
import {
  OrchestrationPattern,
  PatternExecutor,
  RECOMMENDATION_TIE_BREAK,
} from "../src/pattern-executor/index.js";

const named = (name: string, recommend?: Pattern["recommend"]): Pattern => ({
  name,
  ordering: "parallel",
  execute: async (children, ctx) => ({ result: await Promise.all(children.map((c) => ctx.runChild(c))) }),
  ...(recommend ? { recommend } : {}),
});

const all = Object.values(OrchestrationPattern);
const executorWith = (patterns: readonly Pattern[]) =>
  new PatternExecutor({
    plugins: patterns.map((p) =>
      definePlugin({ name: `p-${p.name}`, version: "1.0.0", register: (c) => c.registerPattern(p) }),
    ),
  });
const five = () => executorWith(all.map((n) => named(n)));
const echo = async (w: { input: unknown }) => w.input;
const agents3 = [echo, echo, echo];

describe("PatternExecutor.recommendPattern", () => {
  it("a dependency chain → pipeline; another DAG → fork-join", () => {
    const chain: TaskSlice[] = [
      { sliceId: "a", content: 1 },
      { sliceId: "b", content: 2, dependencies: ["a"] },
      { sliceId: "c", content: 3, dependencies: ["b"] },
    ];
    expect(five().recommendPattern(chain, agents3)).toBe("pipeline");
    const dag: TaskSlice[] = [
      { sliceId: "a", content: 1 },
      { sliceId: "b", content: 2 },
      { sliceId: "c", content: 3, dependencies: ["a", "b"] },
    ];
    expect(five().recommendPattern(dag, agents3)).toBe("fork-join");
  });

  it("declared compensations → saga, even with a chain", () => {
    const steps: TaskSlice[] = [
      { sliceId: "a", content: 1, metadata: { compensate: "undo-a" } },
      { sliceId: "b", content: 2, dependencies: ["a"] },
    ];
    expect(five().recommendPattern(steps, agents3)).toBe("saga");
  });

  it("one slice or identical slices over several agents → scatter-gather; over one agent it is not", () => {
    expect(five().recommendPattern([{ sliceId: "q", content: "ask" }], agents3)).toBe("scatter-gather");
    const same = [1, 2, 3].map((i) => ({ sliceId: `s${i}`, content: { q: "same" } }));
    expect(five().recommendPattern(same, agents3)).toBe("scatter-gather");
    expect(five().recommendPattern([{ sliceId: "q", content: "ask" }], [echo])).toBe("fork-join");
  });

  it("many independent slices of one kind → mapreduce; of mixed kinds → fork-join", () => {
    const docs = ["a b", "c d", "e f", "g"].map((t, i) => ({ sliceId: `d${i}`, content: t }));
    expect(five().recommendPattern(docs, agents3)).toBe("mapreduce");
    const mixed = [
      { sliceId: "x", content: "text" },
      { sliceId: "y", content: 42 },
    ];
    expect(five().recommendPattern(mixed, agents3)).toBe("fork-join");
  });

  it("uses a pattern's own recommend and breaks ties by the documented order", () => {
    const docs = ["a", "b"].map((t, i) => ({ sliceId: `d${i}`, content: t }));
    const eager = named("eager", () => 1);
    expect(executorWith([...all.map((n) => named(n)), eager]).recommendPattern(docs, agents3)).toBe("eager");
    const tied = executorWith([named("zeta", () => 0.7), named("mapreduce"), named("alpha", () => 0.7)]);
    expect(tied.recommendPattern(docs, agents3)).toBe("mapreduce");
    expect(RECOMMENDATION_TIE_BREAK.indexOf("mapreduce")).toBeGreaterThanOrEqual(0);
    const outsiders = executorWith([named("zeta", () => 0.5), named("alpha", () => 0.5)]);
    expect(outsiders.recommendPattern(docs, agents3)).toBe("alpha");
  });

  it("is deterministic and considers only installed patterns", () => {
    const docs = ["a", "b", "c"].map((t, i) => ({ sliceId: `d${i}`, content: t }));
    const only = executorWith([named("pipeline"), named("saga")]);
    const first = only.recommendPattern(docs, agents3);
    expect(["pipeline", "saga"]).toContain(first);
    for (let i = 0; i < 5; i++) expect(only.recommendPattern(docs, agents3)).toBe(first);
  });

  it("with no pattern installed is ECHELON_PATTERN_UNKNOWN", () => {
    expect(() => new PatternExecutor().recommendPattern([{ sliceId: "a", content: 1 }], [echo])).toThrow(
      expect.objectContaining({ code: "ECHELON_PATTERN_UNKNOWN" }),
    );
  });

  it("executeAutoPattern runs the recommended pattern", async () => {
    const docs = [1, 2, 3].map((n) => ({ sliceId: `n${n}`, content: n }));
    const r = await five().executeAutoPattern(docs, agents3);
    expect(r).toMatchObject({ pattern: "mapreduce", success: true, result: [1, 2, 3] });
  });
});
