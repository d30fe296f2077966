import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { ChildConfig } from "./child-config.js";

/** The built child script (src/ and dist/ are siblings, so this holds from either). */
export const CHILD_SCRIPT = resolve(import.meta.dirname, "..", "dist", "child.js");

/** How a child process ended. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** A started child: its process and how it ends. */
export interface StartedChild {
  readonly process: ChildProcess;
  readonly exited: Promise<ChildExit>;
}

/**
 * Starts `node dist/child.js <config>` (build the package first).
 *
 * @throws Error when the child script is not built
 */
export function startChild(config: ChildConfig): StartedChild {
  if (!existsSync(CHILD_SCRIPT))
    throw new Error(`${CHILD_SCRIPT} is missing: build the package first (turbo run build).`);
  const child = spawn(process.execPath, [CHILD_SCRIPT, JSON.stringify(config)], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<ChildExit>((done, fail) => {
    child.on("error", fail);
    child.on("close", (code, signal) => done({ code, signal, stderr }));
  });
  return { process: child, exited };
}

/** Runs a child to its end. */
export function runChild(config: ChildConfig): Promise<ChildExit> {
  return startChild(config).exited;
}

/**
 * Maps `items` through `fn` with at most `limit` calls in flight (children two at a time on
 * two cores), keeping the order of `items`.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
