import { definePlugin, type EchelonPlugin, type Pattern } from "@echelon/core";

const parallel: Pattern = {
  name: "parallel",
  ordering: "parallel",
  async execute(children, ctx) {
    return { result: await Promise.all(children.map((c) => ctx.runChild(c))) };
  },
};

const sequence: Pattern = {
  name: "sequence",
  ordering: "sequential",
  async execute(children, ctx) {
    const out: unknown[] = [];
    for (const c of children) out.push(await ctx.runChild(c));
    return { result: out };
  },
};

/** Runs children one by one and keeps going after failures: result = per-child outcome. */
const settled: Pattern = {
  name: "settled",
  ordering: "sequential",
  async execute(children, ctx) {
    const out: Array<{ id: string; ok: boolean; value: unknown }> = [];
    for (const c of children) {
      try {
        out.push({ id: c.id, ok: true, value: await ctx.runChild(c) });
      } catch (error) {
        out.push({ id: c.id, ok: false, value: (error as { code?: string }).code ?? null });
      }
    }
    return { result: out, status: out.every((o) => o.ok) ? "completed" : "partial" };
  },
};

/** Test-only patterns: `parallel`, `sequence` (fail-fast) and `settled` (continue). */
export function testPatterns(): EchelonPlugin {
  return definePlugin({
    name: "agents-llm-test-patterns",
    version: "0.0.0",
    register(ctx) {
      ctx.registerPattern(parallel);
      ctx.registerPattern(sequence);
      ctx.registerPattern(settled);
    },
  });
}
