/**
 * Entry point of every worker thread: loads the user's module once, then runs one task per
 * `run` message, delivering `abort` messages to the task's AbortSignal. Shipped in dist and
 * never imported by the main thread.
 */
import { parentPort, workerData } from "node:worker_threads";
import { describeError } from "./error-description.js";
import type { FailureKind, FromWorker, ToWorker, WorkerBootData } from "./protocol.js";

type WorkerFunction = (work: unknown, context: Readonly<Record<string, unknown>>) => unknown;

const port = parentPort;
if (port === null) throw new Error("worker-bootstrap must run inside a worker thread.");
const boot = workerData as WorkerBootData;

const loaded: Promise<WorkerFunction> = import(boot.moduleUrl).then((mod: Record<string, unknown>) => {
  const fn = mod[boot.exportName];
  if (typeof fn !== "function") {
    throw new TypeError(`Export "${boot.exportName}" of ${boot.moduleUrl} is ${typeof fn}, not a function.`);
  }
  return fn as WorkerFunction;
});
// Load failures are reported per task; keep them from surfacing as unhandled here.
loaded.catch(() => {});

const controllers = new Map<number, AbortController>();
/** Tasks received but waiting for the module to load, and those of them already aborted. */
const loading = new Set<number>();
const abortedEarly = new Set<number>();

function post(message: FromWorker): void {
  port!.postMessage(message);
}

function fail(id: number, kind: FailureKind, error: unknown): void {
  post({ t: "error", id, kind, error: describeError(error) });
}

async function run(message: Extract<ToWorker, { t: "run" }>): Promise<void> {
  let fn: WorkerFunction;
  loading.add(message.id);
  try {
    fn = await loaded;
  } catch (error) {
    abortedEarly.delete(message.id);
    fail(message.id, "module", error);
    return;
  } finally {
    loading.delete(message.id);
  }
  const controller = new AbortController();
  if (abortedEarly.delete(message.id)) {
    fail(message.id, "aborted", new Error("The task was aborted before it started."));
    return;
  }
  controllers.set(message.id, controller);
  try {
    const value = await fn(message.work, {
      attempt: message.attempt,
      idempotencyKey: message.idempotencyKey,
      orchestrationId: message.orchestrationId,
      level: message.level,
      signal: controller.signal,
      report: (progress: number, text?: string) =>
        post({ t: "progress", id: message.id, progress, ...(text !== undefined ? { message: text } : {}) }),
    });
    try {
      post({ t: "result", id: message.id, value });
    } catch (error) {
      fail(message.id, "not-serializable", error);
    }
  } catch (error) {
    fail(message.id, controller.signal.aborted ? "aborted" : "thrown", error);
  } finally {
    controllers.delete(message.id);
  }
}

port.on("message", (message: ToWorker) => {
  if (message.t === "run") void run(message);
  else {
    const controller = controllers.get(message.id);
    if (controller) controller.abort(new Error(message.reason));
    else if (loading.has(message.id)) abortedEarly.add(message.id);
  }
});
