import { describe, expect, it } from "vitest";
import { DEFAULT_SEED, failureReport, mapReduceSweep, runSweep, summaryLine } from "../src/index.js";

// `crash:all` kills after 50 seeded writes per batching; here a few (CRASH_COUNT), same seed.
const SEED = Number(process.env.CRASH_SEED ?? DEFAULT_SEED);
const COUNT = Number(process.env.CRASH_COUNT ?? 3);

describe(`a 2,000-leaf map-reduce killed after seeded journal writes (seed ${SEED})`, () => {
  for (const batching of ["default", "off"] as const) {
    it(`recovers every kill with ${batching === "off" ? "batching off (one event per transaction)" : "the store's default batching"}`, async () => {
      const report = await runSweep(mapReduceSweep(batching, SEED, COUNT));
      console.log(summaryLine(report, ` (seed ${SEED})`));
      expect(report.outcomes).toHaveLength(COUNT);
      expect(failureReport(report)).toBe("");
    }, 120_000);
  }
});
