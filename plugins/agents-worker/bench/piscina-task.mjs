// The same task as a piscina handler, plus the probes of behaviours the agents rely on.
import { createHash } from "node:crypto";
import { threadId } from "node:worker_threads";

export default async function handle(task) {
  if (task.kind === "deep") {
    let nested = [task.text];
    for (let i = 1; i < 10_000; i++) nested = [nested];
    return nested;
  }
  if (task.kind === "hang") {
    task.port?.postMessage({ t: "started", threadId });
    for (;;) createHash("sha256").update(String(threadId)).digest("hex");
  }
  if (task.kind === "thread") return threadId;
  const digest = createHash("sha256").update(String(task.text)).digest("hex");
  if (task.port === undefined) return digest;
  // Answering over a per-task port: what abort-into-the-thread, progress and a detectable
  // undecodable result would need on top of piscina.
  task.port.postMessage({ t: "result", value: digest });
  task.port.close();
  return undefined;
}
