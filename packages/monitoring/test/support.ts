import { createHash } from "node:crypto";
import {
  type AgentContext,
  type AgentWork,
  functionAgent,
  HierarchicalOrchestrator,
  type TaskSpec,
} from "@echelon/core";
import { definePlugin, type EchelonPlugin, type Pattern } from "@echelon/core/plugin";

/** Test-only pattern: runs every child at once; result = outputs in child order. */
export const testParallel: Pattern = {
  name: "test-parallel",
  ordering: "parallel",
  async execute(children, ctx) {
    const outputs = await Promise.all(children.map((c) => ctx.runChild(c)));
    return { result: outputs };
  },
};

/** Test-only saga: children in order; on a failure, compensate the completed ones in reverse, then fail. */
export const testSaga: Pattern = {
  name: "test-saga",
  ordering: "sequential",
  async execute(children, ctx) {
    const done: Array<{ child: (typeof children)[number]; output: unknown }> = [];
    for (const child of children) {
      try {
        done.push({ child, output: await ctx.runChild(child) });
      } catch (error) {
        for (const d of done.reverse())
          if (d.child.hasCompensation) await ctx.compensateChild(d.child, d.output);
        throw error;
      }
    }
    return { result: done.map((d) => d.output) };
  },
};

/** Registers {@link testParallel} and {@link testSaga}. */
export function testPatterns(): EchelonPlugin {
  return definePlugin({
    name: "monitoring-test-patterns",
    version: "0.0.0",
    register: (ctx) => {
      ctx.registerPattern(testParallel);
      ctx.registerPattern(testSaga);
    },
  });
}

/**
 * Real work: a SHA-256 chain over the input, `rounds` long, computed in chunks that yield to
 * the event loop and honour cancellation. Returns the final digest.
 */
export async function hashChain(seed: string, rounds: number, signal: AbortSignal): Promise<string> {
  let digest = seed;
  for (let i = 0; i < rounds; i++) {
    digest = createHash("sha256").update(digest).digest("hex");
    if (i % 500 === 499) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      signal.throwIfAborted();
    }
  }
  return digest;
}

/**
 * Real work with no fixed end: keeps extending a hash chain until `release()` is called (or
 * the task is cancelled), then returns the digest and how many rounds it computed.
 */
export function openEndedHasher(): {
  readonly run: (work: AgentWork, ctx: AgentContext) => Promise<{ digest: string; rounds: number }>;
  release(): void;
} {
  let released = false;
  return {
    release: () => {
      released = true;
    },
    run: async (work, ctx) => {
      let digest = String(work.input ?? work.taskId);
      let rounds = 0;
      while (!released || rounds < 200) {
        digest = await hashChain(digest, 200, ctx.signal);
        rounds += 200;
        await new Promise<void>((resolve) => setImmediate(resolve));
        ctx.signal.throwIfAborted();
      }
      return { digest, rounds };
    },
  };
}

/** A hashing agent type (name `hasher`) doing `rounds` rounds of SHA-256 per task. */
export const hasher = (rounds = 2_000, capacity = 2) =>
  functionAgent({ name: "hasher", capacity }, (work, ctx) =>
    hashChain(String(work.input ?? work.taskId), rounds, ctx.signal),
  );

/** A fork of `n` hashing leaves under one test-parallel root. */
export function forkSpec(n: number, description = "hash a batch"): TaskSpec {
  return {
    id: "root",
    description,
    pattern: "test-parallel",
    children: Array.from({ length: n }, (_, i) => ({
      id: `leaf${i}`,
      description: `hash block ${i}`,
      input: `block-${i}`,
    })),
  };
}

/** An orchestrator with the test pattern and the given agents. */
export function makeOrchestrator(
  agents: ReturnType<typeof functionAgent>[],
  extra: { plugins?: EchelonPlugin[]; maxAgentsPerLevel?: number[] } = {},
): HierarchicalOrchestrator {
  return new HierarchicalOrchestrator({
    agents,
    plugins: [testPatterns(), ...(extra.plugins ?? [])],
    ...(extra.maxAgentsPerLevel ? { maxAgentsPerLevel: extra.maxAgentsPerLevel } : {}),
  });
}

/** Resolves when `predicate` holds, checking after each event-loop turn (no timers). */
export async function until(predicate: () => boolean, what: string, maxTurns = 2_000_000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (predicate()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`condition never held: ${what}`);
}
