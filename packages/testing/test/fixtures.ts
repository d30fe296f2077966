import { EchelonError } from "@echelon/core";
import { definePlugin, type EchelonPlugin, type Pattern } from "@echelon/core/plugin";

/** A minimal correct pattern: runs every child in parallel and returns their outputs in order. */
export const parallelAll: Pattern = {
  name: "parallel-all",
  ordering: "parallel",
  async execute(children, ctx) {
    const outputs = await Promise.all(children.map((c) => ctx.runChild(c)));
    return { result: outputs };
  },
};

/** Broken: swallows every child failure (cancellation included) and reports success. */
export const swallowing: Pattern = {
  name: "swallowing",
  ordering: "sequential",
  async execute(children, ctx) {
    const outputs: unknown[] = [];
    for (const c of children) {
      try {
        outputs.push(await ctx.runChild(c));
      } catch {
        outputs.push(null);
      }
    }
    return { result: outputs };
  },
};

/** Broken: returns a value that is not JSON. */
export const leaky: Pattern = {
  name: "leaky",
  ordering: "parallel",
  async execute(children, ctx) {
    await Promise.all(children.map((c) => ctx.runChild(c)));
    return { result: { when: new Map() } };
  },
};

/** Broken: throws an uncoded failure code shape. */
export const miscoded: Pattern = {
  name: "miscoded",
  ordering: "parallel",
  async execute(children, ctx) {
    try {
      await Promise.all(children.map((c) => ctx.runChild(c)));
    } catch (error) {
      throw new EchelonError("ECHELON_lowercase" as "ECHELON_X", "bad code", { cause: error });
    }
    return { result: null };
  },
};

/** Wraps a pattern in a plugin. */
export function pluginOf(pattern: Pattern): EchelonPlugin {
  return definePlugin({
    name: `test-${pattern.name}`,
    version: "1.0.0",
    register: (ctx) => ctx.registerPattern(pattern),
  });
}
