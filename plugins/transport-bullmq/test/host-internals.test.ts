import { functionAgent, silentLogger } from "@echelon/core";
import { describe, expect, it } from "vitest";
import { jobFixture } from "./helpers.js";
import { dispatchEvent } from "../src/event-reader.js";
import { HostAgents, type LeaseAbort } from "../src/host-agents.js";
import { PendingJobs } from "../src/pending-jobs.js";
import { describeError, encodeFailure } from "../src/wire.js";

const running: LeaseAbort = { aborted: false, signal: new AbortController().signal };

describe("worker host agents", () => {
  it("lease a free unit of capacity before spawning, and reuse an instance once released", async () => {
    let spawned = 0;
    const type = functionAgent({ name: "t", capabilities: ["x"], capacity: 2 }, () => null);
    const counting = {
      ...type,
      spawn: (id: string, c: Parameters<typeof type.spawn>[1]) => {
        spawned++;
        return type.spawn(id, c);
      },
    };
    const agents = new HostAgents([counting], "h", silentLogger);
    const a = await agents.lease(counting, "primary", 0, running);
    const b = await agents.lease(counting, "primary", 0, running);
    expect(b.agent).toBe(a.agent); // capacity 2: the same instance
    const c = await agents.lease(counting, "primary", 0, running);
    expect(c.agent).not.toBe(a.agent);
    expect(spawned).toBe(2);
    agents.release(a);
    const d = await agents.lease(counting, "primary", 0, running);
    expect(d.agent).toBe(a.agent); // the freed unit, not a third instance
    expect(spawned).toBe(2);
  });

  it("wait at maxInstances until a release, and refuse a lease whose job was aborted", async () => {
    const type = functionAgent({ name: "t", capabilities: ["x"], maxInstances: 1 }, () => null);
    const agents = new HostAgents([type], "h", silentLogger);
    const first = await agents.lease(type, "primary", 0, running);
    let second: unknown = null;
    const waiting = agents.lease(type, "primary", 0, running).then((l) => (second = l));
    await new Promise((r) => setTimeout(r, 10));
    expect(second).toBeNull();
    agents.release(first);
    await waiting;
    expect((second as { agent: unknown }).agent).toBe(first.agent);
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(
      agents.lease(type, "primary", 0, { aborted: true, signal: controller.signal }),
    ).rejects.toThrow();
  });

  it("match the first type at the level that offers every required capability", () => {
    const low = functionAgent({ name: "low", capabilities: ["x"], level: "secondary" }, () => null);
    const any = functionAgent({ name: "any", capabilities: ["x", "y"] }, () => null);
    const agents = new HostAgents([low, any], "h", silentLogger);
    expect(agents.match(["x"], [], "secondary", 1)).toBe(low);
    expect(agents.match(["x"], [], "primary", 0)).toBe(any);
    expect(agents.match([], ["y"], "secondary", 1)).toBe(any);
    expect(agents.match(["z"], [], "primary", 0)).toBeNull();
  });
});

describe("event stream entries", () => {
  const { ctx, facts, data } = jobFixture();

  it("settle attempts from completed and failed entries and skip the others", async () => {
    const pending = new PendingJobs();
    let duplicates = 0;
    const hooks = { pending, duplicated: () => duplicates++, failed: () => {} };
    const ok = pending.add("r/a~1", facts, data, ctx);
    const bad = pending.add("r/b~1", facts, data, ctx);
    const dup = pending.add("r/c~1", facts, data, ctx);
    dispatchEvent(["event", "added", "jobId", "r/a~1", "name", "a"], hooks);
    dispatchEvent(["event", "active", "jobId", "r/a~1", "prev", "waiting"], hooks);
    expect(pending.size).toBe(3);
    const envelope = JSON.stringify({ ok: true, output: [1, 2], host: "h", agentId: "h/a#1" });
    dispatchEvent(["event", "completed", "jobId", "r/a~1", "returnvalue", envelope, "prev", "active"], hooks);
    const reason = encodeFailure({ echelon: 1, host: "h", error: describeError(new Error("boom")) });
    dispatchEvent(["event", "failed", "jobId", "r/b~1", "failedReason", reason, "prev", "active"], hooks);
    dispatchEvent(["event", "duplicated", "jobId", "r/c~1"], hooks);
    await expect(ok.promise).resolves.toEqual([1, 2]);
    await expect(bad.promise).rejects.toThrow("boom");
    expect(duplicates).toBe(1);
    expect(dup.recheck).toBe(true);
  });
});
