import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { watchLongRun } from "../src/run.js";

describe("status monitoring", () => {
  it("samples the live status of a long run until it completes", async () => {
    const { result, samples } = await watchLongRun(resolve(import.meta.dirname, "../../.."), {
      limit: 40,
      everyMs: 20,
    });
    expect(result.success).toBe(true);
    const hashed = result.result as Array<{ files: number; sha256: string }>;
    expect(hashed).toHaveLength(40);
    expect(hashed.every((h) => /^[0-9a-f]{64}$/.test(h.sha256))).toBe(true);
    expect(samples.length).toBeGreaterThanOrEqual(2);
    const progress = samples.map((s) => s.progress);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(samples.at(-1)).toMatchObject({
      state: "completed",
      progress: 100,
      completed: 41,
      running: 0,
      etaMs: 0,
    });
  });
});
