import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { AgentContext, AgentWork } from "@echelon/core";
import type { EchelonPlugin, Pattern } from "@echelon/core/plugin";
import { definePlugin } from "@echelon/core/plugin";
import type { BackgroundAgentExecutor, BackgroundEventName, BackgroundStatus } from "../src/index.js";

/** Absolute path of a fixture file. */
export const fixture = (name: string): string =>
  fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Real work: reads a fixture file and returns its sha256 and word count. */
export async function hashFile(
  work: AgentWork,
  context: AgentContext,
): Promise<{ file: string; sha256: string; words: number }> {
  const file = String(work.input);
  const text = await readFile(fixture(file), { encoding: "utf8", signal: context.signal });
  context.report(0.5, `read ${file}`);
  return {
    file,
    sha256: createHash("sha256").update(text).digest("hex"),
    words: text.split(/\s+/).filter(Boolean).length,
  };
}

/** Real work that honours its signal: counts primes below `input` in chunks. */
export async function countPrimes(work: AgentWork, context: AgentContext): Promise<number> {
  const limit = Number(work.input);
  let count = 0;
  for (let n = 2; n < limit; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
    if (n % 2000 === 0) {
      context.report(n / limit);
      await new Promise((resolve) => setImmediate(resolve));
      if (context.signal.aborted) throw context.signal.reason;
    }
  }
  return count;
}

/** Expected sha256 of a fixture file. */
export async function sha256Of(name: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(fixture(name), "utf8"))
    .digest("hex");
}

/** A minimal pattern for tests: runs children one after another and returns their outputs. */
export function inOrderPattern(): EchelonPlugin {
  const pattern: Pattern = {
    name: "in-order",
    ordering: "sequential",
    async execute(children, context) {
      const outputs: unknown[] = [];
      for (const child of children) outputs.push(await context.runChild(child));
      return { result: outputs };
    },
  };
  return definePlugin({
    name: "test-in-order",
    version: "0.0.0",
    register: (ctx) => ctx.registerPattern(pattern),
  });
}

/** Resolves with the status carried by the next `event` for `id`. */
export function next(
  executor: BackgroundAgentExecutor,
  event: BackgroundEventName,
  id?: string,
): Promise<BackgroundStatus> {
  return new Promise((resolve) => {
    const off = executor.on(event, (status) => {
      if (id !== undefined && status.id !== id) return;
      off();
      resolve(status);
    });
  });
}

/** Resolves when `id` reaches a final state. */
export function finished(executor: BackgroundAgentExecutor, id: string): Promise<BackgroundStatus> {
  const status = executor.getAgentStatus(id);
  if (["completed", "failed", "terminated"].includes(status.state)) return Promise.resolve(status);
  return Promise.race([
    next(executor, "background:completed", id),
    next(executor, "background:failed", id),
    next(executor, "background:terminated", id),
  ]);
}
