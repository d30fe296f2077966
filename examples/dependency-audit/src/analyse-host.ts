#!/usr/bin/env node
/**
 * A worker-host process for `--worker-hosts`: `node dist/analyse-host.js <redis URL> <queue>`.
 * Serves the package analyser over BullMQ (one package at a time, like the in-process
 * analyser), prints `ready` on stdout once it listens, stops on SIGTERM (running work is
 * handed back) and when its parent goes away (its IPC channel closes).
 *
 * @module
 */
import { functionAgent } from "echelon";
import { startWorkerHost } from "@echelon/transport-bullmq";
import { analysePackage } from "./analyse-package.js";

const [url, queue] = process.argv.slice(2);
if (url === undefined || queue === undefined) {
  process.stderr.write("usage: node dist/analyse-host.js <redis URL> <queue>\n");
  process.exit(64);
}
const host = await startWorkerHost({
  connection: url,
  queues: [queue],
  concurrency: 1,
  agents: [
    functionAgent({ name: "package-analyser", capabilities: ["audit:package"] }, (work, ctx) =>
      analysePackage((work.input as { dir: string }).dir, ctx.signal),
    ),
  ],
});
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void host.close().then(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.on("disconnect", stop);
process.stdout.write("ready\n");
