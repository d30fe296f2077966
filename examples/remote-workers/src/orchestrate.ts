#!/usr/bin/env node
/**
 * The orchestrator's side: `node dist/orchestrate.js --redis <url> [--dir <folder>] [--json]`.
 * Reads the Markdown files under `--dir` (default: the current folder), sends each one's text
 * as a task to whichever worker host takes it (`echelon worker … --agents ./dist/agents.js`,
 * on this machine or another), and prints the statistics, the totals and which host did what.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { remoteAgent, remoteAgents } from "@echelon/transport-bullmq";
import { createOrchestrator, isEchelonError, type TaskSpec } from "echelon";
import { markdownFiles } from "./files.js";
import type { TextStats } from "./text-stats.js";

/** Statistics of one file, with the worker host that computed them. */
export type HostedStats = TextStats & { readonly host: string };

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const redis = argument("--redis") ?? process.env.ECHELON_REDIS_URL;
  if (redis === undefined || redis === "") {
    process.stderr.write("usage: node dist/orchestrate.js --redis <url> [--dir <folder>] [--json]\n");
    return 64;
  }
  const dir = resolve(argument("--dir") ?? process.cwd());
  const files = markdownFiles(dir);
  const spec: TaskSpec = {
    id: "text-stats",
    description: `statistics of ${files.length} Markdown files`,
    pattern: "mapreduce",
    patternOptions: { reducer: "concat" },
    children: files.map((path, i) => ({
      id: `file${i}`,
      description: relative(dir, path),
      input: { file: relative(dir, path), text: readFileSync(path, "utf8") },
      capabilities: ["text:stats"],
      // No host on the queue must not mean a silent wait.
      timeoutMs: 60_000,
    })),
  };
  const orchestrator = createOrchestrator({
    maxAgentsPerLevel: [1, 16],
    plugins: [remoteAgents([remoteAgent({ capabilities: ["text:stats"], connection: redis })])],
  });
  try {
    const result = await orchestrator.orchestrateComplexTask(spec);
    if (!result.success) {
      process.stderr.write(`error ${result.error?.code}: ${result.errorMessage}\n`);
      if (result.error?.code === "ECHELON_TASK_TIMEOUT")
        process.stderr.write(
          `Is a worker host running? echelon worker --redis ${redis} --agents ./dist/agents.js\n`,
        );
      return 1;
    }
    const stats = result.result as HostedStats[];
    if (process.argv.includes("--json")) {
      process.stdout.write(`${JSON.stringify(stats, null, 1)}\n`);
      return 0;
    }
    const hosts = new Map<string, number>();
    for (const s of stats) hosts.set(s.host, (hosts.get(s.host) ?? 0) + 1);
    const words = stats.reduce((n, s) => n + s.words, 0);
    process.stdout.write(
      [
        `${stats.length} files, ${words} words, in ${result.executionTime.toFixed(2)} s`,
        ...stats.map(
          (s) => `  ${s.file.padEnd(40)} ${String(s.words).padStart(6)} words  ${s.sha256}  ${s.host}`,
        ),
        `hosts: ${[...hosts.entries()].map(([h, n]) => `${h} (${n})`).join(", ")}`,
        "",
      ].join("\n"),
    );
    return 0;
  } catch (error) {
    if (!isEchelonError(error)) throw error;
    const cause = error.cause as { code?: string; message?: string } | undefined;
    process.stderr.write(`error ${cause?.code ?? error.code}: ${cause?.message ?? error.message}\n`);
    return cause?.code === "ECHELON_TRANSPORT_REDIS_UNAVAILABLE" ? 69 : 64;
  } finally {
    await orchestrator.shutdown();
  }
}

process.exitCode = await main();
