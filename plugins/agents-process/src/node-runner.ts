/**
 * Entry point of a Node-module child (forked by `nodeModuleAgent`): receives one `run`
 * message over IPC, calls the module's export, sends the result back and exits. SIGTERM
 * aborts the function's signal; the child exits once the function settles (or is SIGKILLed
 * by the parent after the grace period, with every process it started).
 */
import { describeError } from "./error-description.js";
import {
  OWN_GROUP_FLAG,
  type RunMessage,
  type RunnerFailureKind,
  type RunnerMessage,
} from "./runner-protocol.js";

type ModuleFunction = (work: unknown, context: Readonly<Record<string, unknown>>) => unknown;

let controller: AbortController | null = null;

process.on("SIGTERM", () => {
  if (controller === null) process.exit(143);
  controller.abort(new Error("The task was aborted (SIGTERM)."));
});

// The parent is gone (crashed or killed): nobody will read a result, so stop now — with
// every process the function started, when this child leads a process group of its own.
process.on("disconnect", () => {
  if (process.argv.includes(OWN_GROUP_FLAG)) process.kill(0, "SIGKILL");
  process.exit(1);
});

function send(message: RunnerMessage, exitCode = 0): void {
  process.send!(message, () => process.exit(exitCode));
}

function fail(kind: RunnerFailureKind, error: unknown): void {
  send({ t: "error", kind, error: describeError(error) });
}

async function run(message: RunMessage): Promise<void> {
  let fn: ModuleFunction;
  try {
    const mod = (await import(message.moduleUrl)) as Record<string, unknown>;
    const candidate = mod[message.exportName];
    if (typeof candidate !== "function") {
      throw new TypeError(
        `Export "${message.exportName}" of ${message.moduleUrl} is ${typeof candidate}, not a function.`,
      );
    }
    fn = candidate as ModuleFunction;
  } catch (error) {
    fail("module", error);
    return;
  }
  const own = new AbortController();
  controller = own;
  let value: unknown;
  try {
    value = await fn(message.work, {
      attempt: message.attempt,
      idempotencyKey: message.idempotencyKey,
      orchestrationId: message.orchestrationId,
      level: message.level,
      signal: own.signal,
      report: (progress: number, text?: string) =>
        process.send!({
          t: "progress",
          progress,
          ...(text !== undefined ? { message: text } : {}),
        } satisfies RunnerMessage),
    });
  } catch (error) {
    fail(own.signal.aborted ? "aborted" : "thrown", error);
    return;
  }
  try {
    send({ t: "result", value });
  } catch (error) {
    fail("not-serializable", error);
  }
}

if (process.send === undefined) {
  process.stderr.write("node-runner must be started with an IPC channel (child_process.fork).\n");
  process.exit(2);
}
process.once("message", (message: RunMessage) => void run(message));
