import { definePlugin, type EchelonPlugin, type Pattern } from "@echelon/core/plugin";

/** Runs every child at once; result = outputs in child order; the first failure fails it (Promise.all). */
const parallel: Pattern = {
  name: "parallel",
  ordering: "parallel",
  async execute(children, ctx) {
    return { result: await Promise.all(children.map((c) => ctx.runChild(c))) };
  },
};

/** Runs children one after another; result = outputs in order; the first failure fails it. */
const sequence: Pattern = {
  name: "sequence",
  ordering: "sequential",
  async execute(children, ctx) {
    const out: unknown[] = [];
    for (const c of children) out.push(await ctx.runChild(c));
    return { result: out };
  },
};

/** Runs children one by one and goes on after failures: result = `{ id, ok, value }` per child (value = error code on failure). */
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

/**
 * Three tiny reference patterns — `parallel`, `sequence` (both fail-fast) and `settled`
 * (continue) — for testing agents and plugins inside a real orchestrator without depending on
 * the real pattern plugins.
 *
 * @param name - plugin name (default `@echelon/testing/reference-patterns`)
 * @returns a plugin registering the three patterns
 * @example
 * ```ts
 * const o = new HierarchicalOrchestrator({ agents: [myAgent], plugins: [referencePatterns()] });
 * await o.orchestrateComplexTask({ description: "x", pattern: "parallel", children: [{ description: "a" }] });
 * ```
 */
export function referencePatterns(name = "@echelon/testing/reference-patterns"): EchelonPlugin {
  return definePlugin({
    name,
    version: "0.0.0",
    register(ctx) {
      ctx.registerPattern(parallel);
      ctx.registerPattern(sequence);
      ctx.registerPattern(settled);
    },
  });
}
