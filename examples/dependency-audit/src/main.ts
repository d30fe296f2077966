#!/usr/bin/env node
import { runAuditCli } from "./cli.js";

// Ctrl-C or SIGTERM cancels the audit: every running agent's signal aborts, the saga removes a
// half-written report, and the command exits 3.
const controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => controller.abort(new Error(`Received ${signal}.`)));
}

process.exitCode = await runAuditCli(
  process.argv.slice(2),
  { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env },
  controller.signal,
);
