import { describe, expect, it } from "vitest";
import { OrchestrationPattern, PatternExecutor, type TaskSlice } from "../src/index.js";
import { definePlugin, type Pattern } from "../src/plugin.js";

const named = (name: string, recommend?: Pattern["recommend"]): Pattern => ({
  name,
  ordering: "parallel",
  execute: async (children, ctx) => ({ result: await Promise.all(children.map((c) => ctx.runChild(c))) }),
  ...(recommend ? { recommend } : {}),
});

const executorWith = (patterns: readonly Pattern[]) =>
  new PatternExecutor({
    plugins: patterns.map((p) =>
      definePlugin({ name: `p-${p.name}`, version: "1.0.0", register: (c) => c.registerPattern(p) }),
    ),
  });
const echo = async (w: { input: unknown }) => w.input;
const agents3 = [echo, echo, echo];
const docs: TaskSlice[] = ["a", "b"].map((t, i) => ({ sliceId: `d${i}`, content: t }));

describe("PatternExecutor.recommendPattern (core's part: asking the plugins)", () => {
  it("chooses by each pattern plugin's own recommend; core knows no pattern names", () => {
    const eager = named("eager", () => 1);
    const names = Object.values(OrchestrationPattern).map((n) => named(n));
    expect(executorWith([...names, eager]).recommendPattern(docs, agents3)).toBe("eager");
  });

  it("hands recommend the children and the agent count", () => {
    const seen: Array<[number, number]> = [];
    const probe = named("probe", (children, ctx) => {
      seen.push([children.length, ctx.agentCount]);
      return 0.5;
    });
    expect(executorWith([probe]).recommendPattern(docs, agents3)).toBe("probe");
    expect(executorWith([probe]).recommendPattern(docs, [echo])).toBe("probe");
    expect(seen).toEqual([
      [2, 3],
      [2, 1],
    ]);
  });

  it("breaks ties by registration order, clamps scores and counts non-numbers as 0", () => {
    expect(
      executorWith([named("zeta", () => 0.7), named("alpha", () => 0.7)]).recommendPattern(docs, agents3),
    ).toBe("zeta");
    expect(executorWith([named("big", () => 7), named("one", () => 1)]).recommendPattern(docs, agents3)).toBe(
      "big",
    );
    expect(
      executorWith([named("nan", () => Number.NaN), named("low", () => 0.1)]).recommendPattern(docs, agents3),
    ).toBe("low");
  });

  it("is deterministic", () => {
    const only = executorWith([named("a", () => 0.3), named("b", () => 0.3)]);
    for (let i = 0; i < 5; i++) expect(only.recommendPattern(docs, agents3)).toBe("a");
  });

  it("a recommend that throws is reported with its plugin and hook", () => {
    const broken = named("broken", () => {
      throw new Error("boom");
    });
    expect(() => executorWith([broken]).recommendPattern(docs, agents3)).toThrow(
      expect.objectContaining({
        code: "ECHELON_PLUGIN_HOOK_FAILED",
        details: expect.objectContaining({ plugin: "p-broken", hook: "recommend" }),
      }),
    );
  });

  it("with no pattern installed is ECHELON_PATTERN_UNKNOWN", () => {
    expect(() => new PatternExecutor().recommendPattern([{ sliceId: "a", content: 1 }], [echo])).toThrow(
      expect.objectContaining({ code: "ECHELON_PATTERN_UNKNOWN" }),
    );
  });

  it("executeAutoPattern runs the recommended pattern", async () => {
    const numbers = [1, 2, 3].map((n) => ({ sliceId: `n${n}`, content: n }));
    const r = await executorWith([named("first", () => 0.9)]).executeAutoPattern(numbers, agents3);
    expect(r).toMatchObject({ pattern: "first", success: true, result: [1, 2, 3] });
  });
});
