import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { EchelonError } from "@echelon/core";
import type { ChildRequest, ChildResult } from "./child/protocol.js";
import { BenchErrorCode } from "./errors.js";

const RESULT_PREFIX = "@@echelon-bench@@";

/**
 * The built child entry (`dist/child/main.js`), also when this module runs from `src` under vitest.
 *
 * @returns an absolute path
 * @throws EchelonError `ECHELON_BENCH_CHILD_FAILED` when the package is not built
 */
export function childEntry(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const entry = path.resolve(here, "..", "dist", "child", "main.js");
  if (!existsSync(entry)) {
    throw new EchelonError(
      BenchErrorCode.CHILD_FAILED,
      `The bench child entry ${entry} does not exist. Build the package first (npx tsc -p tsconfig.json).`,
    );
  }
  return entry;
}

/** Options of {@link runChild}. */
export interface RunChildOptions {
  /** Kill the child after this long, ms. Default 300,000 (the soak case runs 8 × 100,000 leaves in one child). */
  readonly timeoutMs?: number;
  /** Flags for node. Default none (`--expose-gc` when the request's options set `heap: true`). */
  readonly nodeFlags?: readonly string[];
}

/**
 * Measures one request in a fresh Node process (`process.execPath`) and returns what it printed.
 *
 * @param request - what to measure
 * @param options - timeout, node flags
 * @returns the child's result
 * @throws EchelonError `ECHELON_BENCH_CHILD_FAILED` with the child's stderr when it exits badly or prints no result
 */
export function runChild(request: ChildRequest, options: RunChildOptions = {}): Promise<ChildResult> {
  const entry = childEntry();
  return new Promise((resolve, reject) => {
    // A heap request exposes gc so the workload can measure live heap (after a collection) outside
    // the timed region. Only then: a collection right before the run slows it measurably.
    const flags = options.nodeFlags ?? (request.options?.heap === true ? ["--expose-gc"] : []);
    const child = spawn(process.execPath, [...flags, entry, JSON.stringify(request)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 300_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(
        new EchelonError(BenchErrorCode.CHILD_FAILED, `Could not start the bench child: ${error.message}`, {
          cause: error,
        }),
      );
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line !== undefined) {
        resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildResult);
        return;
      }
      const what = `${request.workload}/${request.variant} size ${request.size}`;
      reject(
        new EchelonError(
          BenchErrorCode.CHILD_FAILED,
          `The bench child for ${what} ${signal !== null ? `was killed (${signal})` : `exited with ${code}`}: ${stderr.trim().slice(-2000) || "no output"}`,
          { details: { workload: request.workload, variant: request.variant, size: request.size } },
        ),
      );
    });
  });
}
