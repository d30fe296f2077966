import { existsSync } from "node:fs";
import { basename, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ResourceLimits } from "node:worker_threads";
import { type Agent, type AgentType, CoreErrorCode, EchelonError } from "@echelon/core";
import { WorkerPool } from "./worker-pool.js";

/** Options of {@link workerAgent}. */
export interface WorkerAgentOptions {
  /** The ESM module the threads load: a file path (resolved from the current directory) or a `file:` URL. */
  readonly module: string | URL;
  /** Export to call as `fn(work, { attempt, idempotencyKey, orchestrationId, level, signal, report })`. Default `"default"`. */
  readonly exportName?: string;
  /** Type name; default `worker:<module file name>`. */
  readonly name?: string;
  /** Level (name or index) the agents serve at; absent = any level. */
  readonly level?: string | number;
  /** Capabilities offered. Default none. */
  readonly capabilities?: readonly string[];
  /** Worker threads per agent = tasks one agent runs at once. Default 1. */
  readonly capacity?: number;
  /** Most agents alive at once. Default unbounded (level caps still apply). */
  readonly maxInstances?: number;
  /** Memory limits of every thread; a thread that exceeds them fails its task with `ECHELON_WORKER_OUT_OF_MEMORY`. */
  readonly resourceLimits?: ResourceLimits;
  /** How long an aborted task may keep its thread before the thread is terminated and replaced. Default 1000 ms. */
  readonly abortGraceMs?: number;
}

function invalid(message: string, details: Record<string, unknown>): EchelonError {
  return new EchelonError(CoreErrorCode.CONFIG_INVALID, `workerAgent: ${message}`, { details });
}

function checkInteger(option: string, value: number | undefined, min: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min) {
    throw invalid(`${option} must be an integer ≥ ${min}, got ${String(value)}.`, {
      option,
      value: String(value),
    });
  }
}

function moduleUrl(module: string | URL): string {
  let url: URL;
  if (module instanceof URL) url = module;
  else if (/^[a-z][a-z\d+.-]*:\/\//i.test(module)) url = new URL(module);
  else if (typeof module === "string" && module.length > 0) url = pathToFileURL(resolve(module));
  else throw invalid("module must be a non-empty file path or a file: URL.", { option: "module" });
  if (url.protocol !== "file:") {
    throw invalid(`module must be a local file, got ${url.href}.`, { option: "module", value: url.href });
  }
  const path = fileURLToPath(url);
  if (!existsSync(path)) {
    throw invalid(`module ${path} does not exist. Pass the path of a built ESM file.`, {
      option: "module",
      value: path,
    });
  }
  return url.href;
}

/**
 * An agent type whose agents each own a pool of worker threads (one per unit of capacity)
 * running an exported function of an ESM module. The function gets the task's `work` and a
 * context with an `AbortSignal` that aborts when the task times out or is cancelled; work
 * that ignores it past `abortGraceMs` has its thread terminated. A thread that crashes,
 * throws uncaught or runs out of memory fails only its task and is replaced by a fresh one.
 *
 * @param options - module, export, capacity, resource limits
 * @returns an agent type to pass in the orchestrator's `agents` or register with {@link workerAgents}
 * @throws EchelonError `ECHELON_CONFIG_INVALID` when the module does not exist or a number is out of range.
 * Tasks fail with `ECHELON_WORKER_CRASHED`, `ECHELON_WORKER_OUT_OF_MEMORY`,
 * `ECHELON_WORKER_MODULE_INVALID`, `ECHELON_WORKER_DISPOSED`, `ECHELON_WORKER_RESULT_UNREADABLE`,
 * `ECHELON_TASK_FAILED` (the function threw; an `ECHELON_*` code of its error is kept, and so
 * are its JSON `details`; an error that says "do not retry" arrives as a `NonRetryableError`),
 * `ECHELON_RESULT_NOT_SERIALIZABLE`, or the signal's reason (timeout, cancel).
 * @example
 * ```ts
 * const hasher = workerAgent({ module: "./dist/hash-file.js", capabilities: ["hash"], capacity: 2,
 *   resourceLimits: { maxOldGenerationSizeMb: 64 } });
 * const orchestrator = new HierarchicalOrchestrator({ agents: [hasher] });
 * ```
 */
export function workerAgent(options: WorkerAgentOptions): AgentType {
  const url = moduleUrl(options.module);
  checkInteger("capacity", options.capacity, 1);
  checkInteger("maxInstances", options.maxInstances, 1);
  checkInteger("abortGraceMs", options.abortGraceMs, 0);
  const exportName = options.exportName ?? "default";
  if (exportName.length === 0) throw invalid("exportName must not be empty.", { option: "exportName" });
  const name = options.name ?? `worker:${basename(fileURLToPath(url)).replace(/\.[cm]?js$/, "")}`;
  const capacity = options.capacity ?? 1;
  const capabilities = Object.freeze([...(options.capabilities ?? [])]);
  return {
    name,
    capabilities,
    capacity,
    ...(options.level !== undefined ? { levels: [options.level] } : {}),
    ...(options.maxInstances !== undefined ? { maxInstances: options.maxInstances } : {}),
    spawn(id: string): Agent {
      const pool = new WorkerPool({
        boot: { moduleUrl: url, exportName },
        size: capacity,
        abortGraceMs: options.abortGraceMs ?? 1000,
        ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
      });
      return {
        id,
        type: name,
        capabilities,
        capacity,
        execute: (work, context) =>
          pool.run({
            taskId: work.taskId,
            work,
            attempt: context.attempt,
            idempotencyKey: context.idempotencyKey,
            orchestrationId: context.orchestrationId,
            level: context.level,
            signal: context.signal,
            report: (progress, message) => context.report(progress, message),
          }),
        dispose: () => pool.dispose(),
      };
    },
  };
}
