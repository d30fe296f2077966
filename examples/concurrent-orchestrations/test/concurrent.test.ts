import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { listFiles, runConcurrently } from "../src/run.js";

const modules = join(resolve(import.meta.dirname, "../../.."), "node_modules");
const packages = ["typescript", "vitest", "vite"].map((p) => join(modules, p));

describe("concurrent orchestrations", () => {
  it("run side by side with their own results, and cancelling one leaves the others alone", async () => {
    const reports = await runConcurrently(packages, "run-1");
    expect(reports.map((r) => r.result.state)).toEqual(["completed", "cancelled", "completed"]);
    expect(reports[1]!.result.error?.code).toBe("ECHELON_CANCELLED");
    for (const i of [0, 2]) {
      const files = await listFiles(packages[i]!);
      const digests = reports[i]!.result.result as string[];
      expect(digests).toHaveLength(files.length);
      expect(digests[0]).toBe(
        createHash("sha256")
          .update(await readFile(files[0]!))
          .digest("hex"),
      );
    }
    // When the first finished, the others were still running: they really overlapped.
    const running = reports.filter((r) => r.statusWhileRunning.state === "running");
    expect(running.length).toBeGreaterThanOrEqual(1);
  });
});
