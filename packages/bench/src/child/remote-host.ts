/**
 * A worker process of the remote workloads: `node dist/child/remote-host.js '<JSON>'` with
 * `{ kind: "echelon" | "bullmq", port, queue, body, concurrency }`. `echelon` runs
 * `startWorkerHost` with one function agent doing the body; `bullmq` runs a raw BullMQ `Worker`
 * with the same body and the same concurrency. Prints `ready` once consuming; exits when its
 * parent goes away (IPC disconnect) or on SIGTERM.
 *
 * @module
 */
import { functionAgent } from "@echelon/core";
import { startWorkerHost } from "@echelon/transport-bullmq";
import { Worker } from "bullmq";
import { type RemoteBody, runBody } from "../workloads/remote-bodies.js";

interface HostRequest {
  readonly kind: "echelon" | "bullmq";
  readonly port: number;
  readonly queue: string;
  readonly body: RemoteBody;
  readonly concurrency: number;
}

const request = JSON.parse(process.argv[2] ?? "{}") as HostRequest;
let close: () => Promise<void>;
if (request.kind === "echelon") {
  const host = await startWorkerHost({
    connection: { host: "127.0.0.1", port: request.port },
    queues: [request.queue],
    concurrency: request.concurrency,
    agents: [
      // Only the timer body takes the job's signal (the no-op and CPU bodies ignore it, as the raw
      // workers get none): reading ctx.signal makes the host create the job's AbortSignal.
      functionAgent({ name: "bench", capabilities: ["bench"] }, (work, ctx) =>
        runBody(request.body, work.input, request.body === "timer" ? ctx.signal : undefined),
      ),
    ],
  });
  close = () => host.close();
} else {
  const worker = new Worker(request.queue, (job) => runBody(request.body, job.data.input), {
    connection: { host: "127.0.0.1", port: request.port },
    concurrency: request.concurrency,
  });
  worker.on("error", () => {});
  await worker.waitUntilReady();
  close = () => worker.close();
}
const stop = () => void close().finally(() => process.exit(0));
process.on("disconnect", stop);
process.on("SIGTERM", stop);
process.stdout.write("ready\n");
