import { definePlugin, type EchelonPlugin, type Pattern } from "../../src/plugin.js";

/** Test-only pattern: runs every child at once; result = outputs in child order. */
export const testParallel: Pattern = {
  name: "test-parallel",
  ordering: "parallel",
  async execute(children, ctx) {
    const outputs = await Promise.all(children.map((c) => ctx.runChild(c)));
    return { result: outputs };
  },
};

/** Test-only pattern: runs children one after another, each gets the previous output. */
export const testSequence: Pattern = {
  name: "test-sequence",
  ordering: "sequential",
  async execute(children, ctx) {
    let value: unknown = ctx.input;
    for (const c of children) value = await ctx.runChild(c, { input: value });
    return { result: value };
  },
};

/** Test-only pattern: runs children with at most `ctx.concurrency` in flight (a window), summing numeric outputs. */
export const testWindowSum: Pattern = {
  name: "test-window-sum",
  ordering: "parallel",
  async execute(children, ctx) {
    let next = 0;
    let sum = 0;
    const worker = async () => {
      while (next < children.length) {
        const child = children[next++]!;
        const value = Number(await ctx.runChild(child));
        sum += value;
      }
    };
    await Promise.all(Array.from({ length: Math.min(ctx.concurrency, children.length) }, worker));
    return { result: sum };
  },
};

/**
 * Test-only saga: runs children in order; when one fails, undoes the completed ones in reverse
 * (by their compensating task when declared, else in-process with markCompensated) and fails.
 * Steps already compensated in a resumed run's journal are not undone again.
 */
export const testSaga: Pattern = {
  name: "test-saga",
  ordering: "sequential",
  async execute(children, ctx) {
    const done: Array<{ child: (typeof children)[number]; output: unknown }> = [];
    for (const child of children) {
      try {
        done.push({ child, output: await ctx.runChild(child) });
      } catch (error) {
        for (const { child: step, output } of [...done].reverse()) {
          if (ctx.wasCompensated(step)) continue;
          if (step.hasCompensation) await ctx.compensateChild(step, output);
          else ctx.markCompensated(step, null);
        }
        throw error;
      }
    }
    return { result: done.map((d) => d.output) };
  },
};

/** Registers the test patterns. */
export function testPatterns(): EchelonPlugin {
  return definePlugin({
    name: "test-patterns",
    version: "0.0.0",
    register(ctx) {
      ctx.registerPattern(testParallel);
      ctx.registerPattern(testSequence);
      ctx.registerPattern(testWindowSum);
      ctx.registerPattern(testSaga);
    },
  });
}

/** Waits `ms` on a real timer, rejecting when `signal` aborts. Used where time itself is the subject. */
export function timer(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** A leaf spec list of `n` tasks with numeric inputs. */
export function leaves(n: number, extra: Record<string, unknown> = {}) {
  return Array.from({ length: n }, (_, i) => ({ id: `t${i}`, description: `task ${i}`, input: i, ...extra }));
}
