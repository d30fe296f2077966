import type { ChildProcess } from "node:child_process";
import { EchelonError } from "@echelon/core";
import { abortError } from "@echelon/core/plugin";
import { ProcessErrorCode } from "./errors.js";
import { terminate } from "./process-group.js";

/** How a supervised child ended. */
export interface ChildOutcome {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Everything the child wrote to stdout (at most `maxOutputBytes`). */
  readonly stdout: string;
  /** The last bytes the child wrote to stderr. */
  readonly stderrTail: string;
}

/** Limits and cancellation of one supervised child. */
export interface SuperviseOptions {
  readonly taskId: string;
  readonly signal: AbortSignal;
  readonly killGraceMs: number;
  readonly maxOutputBytes: number;
  readonly stderrTailBytes: number;
  /** Called for every IPC message while the task is live. */
  readonly onMessage?: (message: unknown) => void;
}

/** Live children of one agent, so `dispose()` can stop them all. */
export class ChildRegistry {
  private readonly live = new Map<ChildProcess, (error: EchelonError) => void>();
  private readonly exits = new Map<ChildProcess, Promise<void>>();

  /** Tracks `child` until it exits. */
  add(child: ChildProcess, fail: (error: EchelonError) => void, exited: Promise<void>): void {
    this.live.set(child, fail);
    this.exits.set(child, exited);
    void exited.then(() => {
      this.live.delete(child);
      this.exits.delete(child);
    });
  }

  /** Fails every live task with `error`, kills the children and waits until they have exited. */
  async stopAll(error: EchelonError, killGraceMs: number): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const [child, fail] of this.live) {
      fail(error);
      terminate(child, killGraceMs);
      waits.push(this.exits.get(child) ?? Promise.resolve());
    }
    await Promise.all(waits);
  }
}

/**
 * Watches one child: captures stdout up to a bound and a tail of stderr, stops it and every
 * process it started (its process group: SIGTERM, then SIGKILL after the grace period) on
 * abort and on output overflow, and resolves with how it ended. On abort the promise
 * rejects at once with the signal's reason; whatever the child says afterwards is discarded.
 *
 * @throws EchelonError `ECHELON_PROCESS_SPAWN_FAILED`, `ECHELON_PROCESS_OUTPUT_TOO_LARGE`,
 * `ECHELON_PROCESS_DISPOSED` (through the registry), or the signal's reason
 */
export function supervise(
  child: ChildProcess,
  registry: ChildRegistry,
  options: SuperviseOptions,
): Promise<ChildOutcome> {
  const { signal, killGraceMs, maxOutputBytes, stderrTailBytes, taskId } = options;
  const stdout: Buffer[] = [];
  let stdoutBytes = 0;
  let stderr = Buffer.alloc(0);
  let overflow = false;
  let settled = false;
  let resolveExited!: () => void;
  const exited = new Promise<void>((resolve) => {
    resolveExited = resolve;
  });
  child.once("exit", () => resolveExited());
  // Writing to a child that exits without reading stdin raises EPIPE on the stream: expected.
  child.stdin?.on("error", () => {});

  return new Promise<ChildOutcome>((resolve, reject) => {
    const finish = (error: unknown, outcome?: ChildOutcome) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      if (error === undefined) resolve(outcome!);
      else reject(error);
    };
    const onAbort = () => {
      finish(abortError(signal));
      terminate(child, killGraceMs);
    };
    registry.add(
      child,
      (error) => finish(error),
      exited.then(() => undefined),
    );

    child.stdout?.on("data", (chunk: Buffer) => {
      if (overflow || settled) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxOutputBytes) {
        overflow = true;
        finish(
          new EchelonError(
            ProcessErrorCode.OUTPUT_TOO_LARGE,
            `The process of task "${taskId}" wrote more than ${maxOutputBytes} bytes to stdout and was killed. Raise maxOutputBytes or write large results to a file and return its path.`,
            { details: { maxOutputBytes } },
          ),
        );
        terminate(child, killGraceMs);
        return;
      }
      stdout.push(chunk);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk]);
      if (stderr.length > stderrTailBytes) stderr = stderr.subarray(stderr.length - stderrTailBytes);
    });
    child.on("message", (received: unknown) => {
      if (!settled) options.onMessage?.(received);
    });
    child.once("error", (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return; // a failed kill or IPC send; the exit still comes
      resolveExited();
      finish(
        new EchelonError(
          ProcessErrorCode.SPAWN_FAILED,
          `The process of task "${taskId}" could not start: ${error.message}. Check the command, its permissions and cwd.`,
          { cause: error, details: { errno: error.code ?? null } },
        ),
      );
    });
    child.once("close", (exitCode: number | null, exitSignal: NodeJS.Signals | null) => {
      finish(undefined, {
        exitCode,
        signal: exitSignal,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderrTail: stderr.toString("utf8"),
      });
    });

    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The coded failure of a child that exited non-zero or was killed by a signal. */
export function exitedError(taskId: string, outcome: ChildOutcome): EchelonError {
  const how =
    outcome.signal !== null ? `was killed by ${outcome.signal}` : `exited with code ${outcome.exitCode}`;
  const tail = outcome.stderrTail.trim().split("\n").slice(-5).join("\n");
  return new EchelonError(
    ProcessErrorCode.EXITED,
    `The process of task "${taskId}" ${how}.${tail ? ` stderr: ${tail}` : ""}`,
    { details: { exitCode: outcome.exitCode, signal: outcome.signal, stderrTail: outcome.stderrTail } },
  );
}
