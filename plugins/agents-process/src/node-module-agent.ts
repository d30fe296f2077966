import { fork } from "node:child_process";
import { existsSync } from "node:fs";
import { basename, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  type AgentType,
  CoreErrorCode,
  EchelonError,
  type EchelonErrorCode,
  isNonRetryable,
  NonRetryableError,
} from "@echelon/core";
import { abortError, assertJsonSerializable } from "@echelon/core/plugin";
import { taskEnv } from "./argv.js";
import { childAgentType } from "./child-agent.js";
import { exitedError, supervise } from "./child-supervisor.js";
import { ProcessErrorCode } from "./errors.js";
import { type ChildAgentOptions, checkChildOptions, childEnv, invalidOption } from "./options.js";
import { OWN_PROCESS_GROUP, signalGroup } from "./process-group.js";
import { OWN_GROUP_FLAG, type RunMessage, type RunnerMessage, runnerMessage } from "./runner-protocol.js";

/** Options of {@link nodeModuleAgent}. */
export interface NodeModuleAgentOptions extends ChildAgentOptions {
  /** The ESM module the child imports: a file path (resolved from the current directory) or a `file:` URL. */
  readonly module: string | URL;
  /** Export to call as `fn(work, { attempt, idempotencyKey, orchestrationId, level, signal, report })`. Default `"default"`. */
  readonly exportName?: string;
  /** Node flags of the child (e.g. `["--max-old-space-size=256"]`). Default none (the parent's are not inherited). */
  readonly execArgv?: readonly string[];
}

function runnerPath(): string {
  const sibling = new URL("./node-runner.js", import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return fileURLToPath(sibling);
  return fileURLToPath(new URL("../dist/node-runner.js", import.meta.url));
}

function moduleUrl(module: string | URL): string {
  const url =
    module instanceof URL
      ? module
      : /^[a-z][a-z\d+.-]*:\/\//i.test(module)
        ? new URL(module)
        : pathToFileURL(resolve(module));
  if (url.protocol !== "file:")
    throw invalidOption("nodeModuleAgent", "module", `must be a local file, got ${url.href}.`);
  if (!existsSync(fileURLToPath(url))) {
    throw invalidOption(
      "nodeModuleAgent",
      "module",
      `${fileURLToPath(url)} does not exist. Pass the path of an ESM file.`,
    );
  }
  return url.href;
}

function failure(
  taskId: string,
  message: Extract<RunnerMessage, { t: "error" }>,
  signal: AbortSignal,
): EchelonError {
  const cause = Object.assign(new Error(message.error.message), { name: message.error.name });
  switch (message.kind) {
    case "module":
      return new EchelonError(
        ProcessErrorCode.MODULE_INVALID,
        `The module of task "${taskId}" could not be used: ${message.error.message} Check the module path and exportName.`,
        { cause },
      );
    case "not-serializable":
      return new EchelonError(
        CoreErrorCode.RESULT_NOT_SERIALIZABLE,
        `The result of task "${taskId}" cannot leave its process: ${message.error.message} Return plain JSON data.`,
        { cause },
      );
    case "aborted":
      return abortError(signal);
    default: {
      // The function threw: keep its ECHELON_* code, its JSON details and a "do not retry".
      const code = message.error.code?.startsWith("ECHELON_")
        ? (message.error.code as EchelonErrorCode)
        : CoreErrorCode.TASK_FAILED;
      const text = `Task "${taskId}" failed in its process: ${message.error.message}`;
      const details = { name: message.error.name, ...message.error.details };
      return isNonRetryable(message.error)
        ? new NonRetryableError(text, { code, cause, details })
        : new EchelonError(code, text, { cause, details });
    }
  }
}

/**
 * An agent type that runs an exported function of an ESM module in a fresh Node child
 * process per task (forked with a small runner shipped in dist; the result comes back over
 * IPC; the first result or error the child sends wins). The function's `signal` aborts on
 * SIGTERM; the child and the processes it started are SIGKILLed after `killGraceMs` if they
 * do not exit. A child that crashes, is killed, or exits without a result fails only its
 * task. An error the function throws keeps its `ECHELON_*` code and JSON `details`, and one
 * that says "do not retry" (core's `isNonRetryable`) fails the task as a `NonRetryableError`.
 *
 * @param options - module, export, limits
 * @returns an agent type
 * @throws EchelonError `ECHELON_CONFIG_INVALID` when the module does not exist or a limit is out of range.
 * Tasks fail with `ECHELON_TASK_FAILED` (the function threw), `ECHELON_RESULT_NOT_SERIALIZABLE`,
 * `ECHELON_PROCESS_EXITED`, `ECHELON_PROCESS_NO_RESULT`, `ECHELON_PROCESS_MODULE_INVALID`,
 * `ECHELON_PROCESS_DISPOSED`, or the signal's reason.
 * @example
 * ```ts
 * const parser = nodeModuleAgent({ module: "./dist/parse-csv.js", exportName: "parse", capabilities: ["csv"] });
 * ```
 */
export function nodeModuleAgent(options: NodeModuleAgentOptions): AgentType {
  const factory = "nodeModuleAgent";
  const url = moduleUrl(options.module);
  const exportName = options.exportName ?? "default";
  if (exportName.length === 0) throw invalidOption(factory, "exportName", "must not be empty.");
  const limits = checkChildOptions(factory, options);
  const name = options.name ?? `node:${basename(fileURLToPath(url)).replace(/\.[cm]?js$/, "")}`;
  const runner = runnerPath();

  return childAgentType(name, options, limits, async (work, context, signal, registry) => {
    const child = fork(runner, OWN_PROCESS_GROUP ? [OWN_GROUP_FLAG] : [], {
      detached: OWN_PROCESS_GROUP,
      cwd: options.cwd,
      env: childEnv(options, taskEnv(work, context)),
      execArgv: [...(options.execArgv ?? [])],
      serialization: "advanced",
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let final: RunnerMessage | undefined;
    const outcome = supervise(child, registry, {
      taskId: work.taskId,
      signal,
      killGraceMs: limits.killGraceMs,
      maxOutputBytes: limits.maxOutputBytes,
      stderrTailBytes: 8192,
      onMessage: (received) => {
        // The first answer wins: a result or error after it (the function calling
        // process.send itself, then returning) is discarded, and so is anything malformed.
        const message = runnerMessage(received);
        if (message === undefined || final !== undefined) return;
        if (message.t === "progress") context.report(message.progress, message.message);
        else final = message;
      },
    });
    const run: RunMessage = {
      t: "run",
      moduleUrl: url,
      exportName,
      work,
      attempt: context.attempt,
      idempotencyKey: context.idempotencyKey,
      orchestrationId: context.orchestrationId,
      level: context.level,
    };
    child.send(run, (error) => {
      // The child died before reading its work: the exit is reported by the supervisor.
      if (error) signalGroup(child, "SIGKILL");
    });
    const ended = await outcome;
    if (final?.t === "result") {
      assertJsonSerializable(final.value, `result of task "${work.taskId}"`);
      return final.value;
    }
    if (final?.t === "error") throw failure(work.taskId, final, signal);
    if (ended.exitCode === 0 && ended.signal === null) {
      throw new EchelonError(
        ProcessErrorCode.NO_RESULT,
        `The process of task "${work.taskId}" exited 0 without sending a result. Make the function return its result instead of calling process.exit.`,
        { details: { stderrTail: ended.stderrTail } },
      );
    }
    throw exitedError(work.taskId, ended);
  });
}
