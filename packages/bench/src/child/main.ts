/**
 * The child process entry: `node dist/child/main.js '<ChildRequest JSON>'`. Measures one
 * workload variant in this fresh process and prints one line `RESULT_PREFIX + JSON`.
 *
 * @module
 */
import { WORKLOADS } from "../workloads/index.js";
import type { ChildRequest } from "./protocol.js";
import { runRequest } from "./run-request.js";

/** Marks the result line among anything else the child may print. */
export const RESULT_PREFIX = "@@echelon-bench@@";

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? "{}") as ChildRequest;
  const result = await runRequest(request, WORKLOADS);
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const e = error as { code?: string; message?: string; stack?: string };
    process.stderr.write(`${e.code ?? "ERROR"}: ${e.stack ?? e.message ?? String(error)}\n`);
    process.exit(1);
  },
);
