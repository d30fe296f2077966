import { definePlugin, type EchelonPlugin, type Pattern } from "@echelon/core";

/** Test-only pattern: runs every child at once; result = outputs in child order (fail-fast by Promise.all). */
const parallel: Pattern = {
  name: "parallel",
  ordering: "parallel",
  async execute(children, ctx) {
    return { result: await Promise.all(children.map((c) => ctx.runChild(c))) };
  },
};

/** Test-only pattern: runs children one after another. */
const sequence: Pattern = {
  name: "sequence",
  ordering: "sequential",
  async execute(children, ctx) {
    const out: unknown[] = [];
    for (const c of children) out.push(await ctx.runChild(c));
    return { result: out };
  },
};

/** Registers the test patterns `parallel` and `sequence`. */
export function testPatterns(): EchelonPlugin {
  return definePlugin({
    name: "adapter-12factor-test-patterns",
    version: "0.0.0",
    register(ctx) {
      ctx.registerPattern(parallel);
      ctx.registerPattern(sequence);
    },
  });
}

/** A promise the test settles by hand: lets an agent block until the test says so (no timers). */
export function gate(): {
  wait: (signal: AbortSignal) => Promise<void>;
  open: () => void;
  waiting: () => number;
} {
  let opened = false;
  let count = 0;
  const waiters = new Set<() => void>();
  return {
    wait(signal) {
      if (opened) return Promise.resolve();
      count++;
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          waiters.delete(done);
          resolve();
        };
        waiters.add(done);
        signal.addEventListener(
          "abort",
          () => {
            waiters.delete(done);
            reject(signal.reason);
          },
          { once: true },
        );
      });
    },
    open() {
      opened = true;
      for (const w of [...waiters]) w();
    },
    waiting: () => count,
  };
}
