import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readmeStats } from "../src/readme-agent.js";
import { analyseByToolCalls, resultOf } from "../src/run.js";

const modules = join(resolve(import.meta.dirname, "../../.."), "node_modules");

describe("12-Factor integration", () => {
  it("runs an orchestration by tool calls, with a 12-Factor agent doing the leaves", async () => {
    const files = ["typescript", "vite"].map((n) => join(modules, n, "README.md"));
    const t = await analyseByToolCalls(files);
    expect(t.tools).toContain("orchestrate_complex_task");
    expect(t.orchestrate.success).toBe(true);
    const result = resultOf(t.orchestrate);
    expect(result.metadata.patternsUsed).toEqual(["mapreduce"]);
    const stats = result.result as Array<{ path: string; words: number }>;
    expect(stats[0]).toEqual(readmeStats(files[0]!, await readFile(files[0]!, "utf8")));
    expect(t.status.success).toBe(true);
    expect(t.badCall.success).toBe(false);
    expect(t.badCall.error?.code).toBe("ECHELON_TOOL_ARGUMENTS_INVALID");
  });

  it("a file that cannot be read fails the orchestration with the agent's coded error", async () => {
    const t = await analyseByToolCalls([join(modules, "no-such-package", "README.md")]);
    expect(t.orchestrate.success).toBe(false);
    expect(JSON.stringify(t.orchestrate.error)).toContain("ENOENT");
  });
});
