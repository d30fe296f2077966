import { describe, expect, it } from "vitest";
import {
  failureReport,
  MIXED_BATCHED,
  MIXED_UNBATCHED,
  mixedSweep,
  runSweep,
  summaryLine,
} from "../src/index.js";

// The full sweeps (every write, each batching) run in `crash:all`; here every 4th write with
// batching off and every 2nd transaction with default batching, from CRASH_OFFSET (default 1):
// runs with offsets 1..4 cover every write in turn.
const STRIDE = Number(process.env.CRASH_STRIDE ?? 4);
const OFFSET = Number(process.env.CRASH_OFFSET ?? 1);

describe("the mixed plan (map-reduce, fork-join, scatter-gather, two sagas) killed after journal write K", () => {
  it("has at least 60 journal writes, and every resume ends as the fault-free run (batching off)", async () => {
    const report = await runSweep(mixedSweep(MIXED_UNBATCHED, STRIDE, OFFSET));
    console.log(summaryLine(report));
    expect(report.events).toBeGreaterThanOrEqual(60);
    expect(report.outcomes.length).toBeGreaterThanOrEqual(Math.floor(report.events / STRIDE));
    expect(failureReport(report)).toBe("");
  }, 170_000);

  it("recovers after every other transaction with the store's default batching", async () => {
    const report = await runSweep(mixedSweep(MIXED_BATCHED, 2, OFFSET));
    console.log(summaryLine(report));
    expect(report.outcomes.length).toBeGreaterThanOrEqual(Math.floor(report.transactions / 2));
    expect(failureReport(report)).toBe("");
  }, 120_000);
});
