import { spawn } from "node:child_process";
import { basename } from "node:path";
import type { AgentType } from "@echelon/core";
import { EchelonError } from "@echelon/core";
import { buildArgs, inputArgument, stdinDocument, taskEnv } from "./argv.js";
import { childAgentType } from "./child-agent.js";
import { exitedError, supervise } from "./child-supervisor.js";
import { ProcessErrorCode } from "./errors.js";
import { type ChildAgentOptions, checkChildOptions, childEnv, invalidOption } from "./options.js";
import { OWN_PROCESS_GROUP } from "./process-group.js";

/** How the task reaches the child. */
export type ProcessInputMode = "stdin-json" | "argv" | "none";
/** How the child's stdout becomes the result. */
export type ProcessOutputMode = "json" | "text";

/** Options of {@link processAgent}. */
export interface ProcessAgentOptions extends ChildAgentOptions {
  /** Executable to run (a path or a name looked up on PATH). Never run through a shell. */
  readonly command: string;
  /**
   * Arguments, one array element per argv element. An element that is exactly `{input}`,
   * `{taskId}`, `{nodePath}`, `{description}`, `{attempt}`, `{idempotencyKey}` or
   * `{orchestrationId}` is replaced by that value as one whole element; nothing else is substituted.
   */
  readonly args?: readonly string[];
  /**
   * `stdin-json` (default): the work and its context as one JSON document on stdin.
   * `argv`: the task's input (a string as is, else JSON) appended as the last argument; stdin closed.
   * `none`: stdin closed; use placeholders in `args`.
   */
  readonly input?: ProcessInputMode;
  /** `json` (default): stdout must be one JSON document. `text`: stdout is the result, minus one trailing newline. */
  readonly output?: ProcessOutputMode;
}

function parseOutput(taskId: string, stdout: string, mode: ProcessOutputMode): unknown {
  if (mode === "text") return stdout.endsWith("\n") ? stdout.slice(0, -1) : stdout;
  if (stdout.trim().length === 0) {
    throw new EchelonError(
      ProcessErrorCode.OUTPUT_INVALID,
      `The process of task "${taskId}" exited 0 without writing a result. Print one JSON document to stdout, or use output: "text".`,
      { details: { stdoutBytes: 0 } },
    );
  }
  try {
    return JSON.parse(stdout) as unknown;
  } catch (error) {
    throw new EchelonError(
      ProcessErrorCode.OUTPUT_INVALID,
      `The process of task "${taskId}" exited 0 but its stdout is not JSON (${(error as Error).message}). Print one JSON document, or use output: "text".`,
      { cause: error, details: { stdoutHead: stdout.slice(0, 200) } },
    );
  }
}

/**
 * An agent type that runs one child process per task with `child_process.spawn` (never a
 * shell). Exit code 0 is success, its stdout the result; anything else is a coded failure.
 * When the task is aborted (timeout, cancel) the child's process group — the child and every
 * process it started — gets SIGTERM, then SIGKILL after `killGraceMs`; the task fails at once
 * with the signal's reason and a late answer is discarded.
 *
 * @param options - command, args, input/output modes, limits
 * @returns an agent type
 * @throws EchelonError `ECHELON_CONFIG_INVALID` for a missing command, non-string args or a bad limit.
 * Tasks fail with `ECHELON_PROCESS_EXITED`, `ECHELON_PROCESS_SPAWN_FAILED`,
 * `ECHELON_PROCESS_OUTPUT_TOO_LARGE`, `ECHELON_PROCESS_OUTPUT_INVALID`, `ECHELON_PROCESS_DISPOSED`,
 * `ECHELON_TASK_TIMEOUT` (own `timeoutMs`) or the task signal's reason.
 * @example
 * ```ts
 * const wc = processAgent({ command: "wc", args: ["-l", "{input}"], input: "none", output: "text",
 *   capabilities: ["count-lines"] });
 * ```
 */
export function processAgent(options: ProcessAgentOptions): AgentType {
  const factory = "processAgent";
  if (typeof options.command !== "string" || options.command.length === 0) {
    throw invalidOption(factory, "command", "must be a non-empty string (an executable, not a shell line).");
  }
  const template = options.args ?? [];
  if (!Array.isArray(template) || template.some((arg) => typeof arg !== "string")) {
    throw invalidOption(factory, "args", "must be an array of strings, one per argument.");
  }
  const inputMode = options.input ?? "stdin-json";
  if (!["stdin-json", "argv", "none"].includes(inputMode)) {
    throw invalidOption(
      factory,
      "input",
      `must be "stdin-json", "argv" or "none", got ${String(inputMode)}.`,
    );
  }
  const outputMode = options.output ?? "json";
  if (!["json", "text"].includes(outputMode)) {
    throw invalidOption(factory, "output", `must be "json" or "text", got ${String(outputMode)}.`);
  }
  const limits = checkChildOptions(factory, options);
  const name = options.name ?? `process:${basename(options.command)}`;

  return childAgentType(name, options, limits, async (work, context, signal, registry) => {
    const args = buildArgs(template, work, context);
    if (inputMode === "argv") args.push(inputArgument(work.input));
    const child = spawn(options.command, args, {
      shell: false,
      detached: OWN_PROCESS_GROUP,
      cwd: options.cwd,
      env: childEnv(options, taskEnv(work, context)),
      stdio: [inputMode === "stdin-json" ? "pipe" : "ignore", "pipe", "pipe"],
    });
    const outcome = supervise(child, registry, {
      taskId: work.taskId,
      signal,
      killGraceMs: limits.killGraceMs,
      maxOutputBytes: limits.maxOutputBytes,
      stderrTailBytes: 8192,
    });
    if (inputMode === "stdin-json" && child.stdin) child.stdin.end(stdinDocument(work, context));
    const ended = await outcome;
    if (ended.exitCode !== 0 || ended.signal !== null) throw exitedError(work.taskId, ended);
    return parseOutput(work.taskId, ended.stdout, outputMode);
  });
}
