import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { OrchestrationResult } from "echelon";
import { describe, expect, it } from "vitest";
import { runInBackground } from "../src/run.js";

const modules = join(resolve(import.meta.dirname, "../../.."), "node_modules");

async function declarationLines(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  let lines = 0;
  for (const e of entries) {
    if (e.isFile() && e.name.endsWith(".d.ts"))
      lines += (await readFile(join(e.parentPath, e.name), "utf8")).split("\n").length;
  }
  return lines;
}

describe("background execution", () => {
  it("queues beyond maxParallel, holds a paused run until resumed, terminates one by id", async () => {
    const dirs = ["vitest", "vite", "@types/node", "typedoc"].map((n) => join(modules, n));
    const { finals, events } = await runInBackground(dirs);
    expect(finals["job-3"]!.state).toBe("terminated");
    for (const [i, id] of ["job-0", "job-1", "job-2"].entries()) {
      expect(finals[id]!.state).toBe("completed");
      expect((finals[id]!.result as OrchestrationResult).result).toBe(await declarationLines(dirs[i]!));
    }
    // job-2 was paused while queued: it started only after it was resumed.
    expect(events.indexOf("started job-2")).toBeGreaterThan(events.indexOf("resumed job-2"));
    expect(events.indexOf("paused job-2")).toBeGreaterThan(-1);
    expect(events).not.toContain("started job-3");
  });
});
