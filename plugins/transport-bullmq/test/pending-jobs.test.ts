import { describe, expect, it } from "vitest";
import { jobFixture } from "./helpers.js";
import { PendingJobs } from "../src/pending-jobs.js";
import { describeError, encodeFailure } from "../src/wire.js";

const { ctx, facts, data } = jobFixture();

describe("pending jobs", () => {
  it("record a result once: a second completion or a late failure of the same job is dropped", async () => {
    const pending = new PendingJobs();
    const entry = pending.add("r/root~1", facts, data, ctx);
    pending.completed("r/root~1", { ok: true, output: "first", host: "a", agentId: "x" });
    pending.completed("r/root~1", { ok: true, output: "second", host: "b", agentId: "y" });
    pending.failed(
      "r/root~1",
      encodeFailure({ echelon: 1, host: "c", error: describeError(new Error("late")) }),
    );
    await expect(entry.promise).resolves.toBe("first");
    expect(pending.size).toBe(0);
  });

  it("refuse a result without the host's envelope (a foreign worker on the queue)", async () => {
    const pending = new PendingJobs();
    const entry = pending.add("r/root~1", facts, data, ctx);
    pending.completed("r/root~1", 42);
    await expect(entry.promise).rejects.toMatchObject({ code: "ECHELON_TRANSPORT_JOB_INVALID" });
  });
});
