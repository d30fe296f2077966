import { createHash } from "node:crypto";
import type { Agent, TaskSlice } from "@echelon/core";
import { runPatternOnSlices } from "@echelon/core/plugin";
import { failingAgent, recordingAgent, slowAgent } from "@echelon/testing";
import { describe, expect, it } from "vitest";
import { hedgedPattern } from "../src/index.js";
import { HedgedPattern } from "../src/hedged-pattern.js";

const sha = (s: unknown) => createHash("sha256").update(String(s)).digest("hex");
const docs: TaskSlice[] = ["alpha", "beta", "gamma"].map((t) => ({ sliceId: t, content: t }));
const pattern = (defaults: Record<string, unknown> = {}) => new HedgedPattern(defaults);
const run = (
  p: HedgedPattern,
  slices: readonly TaskSlice[],
  agents: readonly Agent[],
  options = {},
  signal?: AbortSignal,
) => runPatternOnSlices(p, slices, agents, { options, ...(signal ? { signal } : {}) });

describe("hedged requests", () => {
  it("a slow primary is hedged to a free agent; the first answer wins and the loser is aborted", async () => {
    // The straggler is a replica that takes a minute (time is the subject here); the other hashes for real.
    const straggler = slowAgent(60_000, { id: "straggler", fn: (w) => sha(w.input) });
    const fast = recordingAgent((w) => sha(w.input), { id: "fast" });
    const r = await run(pattern({ hedgeAfterMs: 20 }), docs.slice(0, 1), [straggler, fast]);
    expect(r.result).toEqual([sha("alpha")]);
    expect(r.details).toMatchObject({ hedged: 1, winners: { alpha: "hedge-1" } });
    expect(straggler.calls).toHaveLength(1);
    expect(straggler.calls[0]).toMatchObject({
      nodePath: "slices/alpha#primary",
      sawAbort: true,
      state: "failed",
    });
    expect(fast.calls[0]?.nodePath).toBe("slices/alpha#hedge-1");
  });

  it("a primary answering in time is not hedged", async () => {
    const agent = recordingAgent((w) => sha(w.input), { capacity: 3 });
    const r = await run(pattern({ hedgeAfterMs: 60_000 }), docs, [agent]);
    expect(r.result).toEqual(docs.map((d) => sha(d.content)));
    expect(r.details).toMatchObject({
      hedged: 0,
      winners: { alpha: "primary", beta: "primary", gamma: "primary" },
    });
    expect(agent.calls).toHaveLength(3);
  });

  it("a failed attempt starts the backup at once, without waiting for the hedge delay", async () => {
    const flaky = failingAgent({ failWhen: (w) => w.nodePath.endsWith("#primary"), capacity: 2 });
    const r = await run(pattern({ hedgeAfterMs: 60_000 }), docs.slice(0, 1), [flaky]);
    expect(r.success).toBe(true);
    expect(r.details).toMatchObject({ winners: { alpha: "hedge-1" } });
  });

  it("when every attempt fails the run fails with the child's error and aborts the other children", async () => {
    const broken = failingAgent({ id: "broken", capabilities: ["b"] });
    const slow = slowAgent(60_000, { id: "slow", capacity: 4, capabilities: ["s"] });
    const slices = docs.map((d) => ({
      ...d,
      metadata: { capabilities: [d.sliceId === "beta" ? "b" : "s"] },
    }));
    const r = await run(pattern({ hedgeAfterMs: 0, maxHedges: 1 }), slices, [broken, slow]);
    expect(r.success).toBe(false);
    expect(r.error?.code).toBe("ECHELON_TESTING_INJECTED_FAILURE");
    expect(broken.calls.map((c) => c.nodePath)).toEqual(["slices/beta#primary", "slices/beta#hedge-1"]);
    expect(slow.calls.length).toBeGreaterThan(0);
    expect(slow.calls.every((c) => c.sawAbort)).toBe(true);
  });

  it("abort mid-run aborts every attempt and starts no backup", async () => {
    const controller = new AbortController();
    const slow = slowAgent(60_000, { capacity: 4, onStart: () => queueMicrotask(() => controller.abort()) });
    const r = await run(pattern({ hedgeAfterMs: 5 }), docs.slice(0, 1), [slow], {}, controller.signal);
    expect(r.status).toBe("cancelled");
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(slow.calls).toHaveLength(1);
    expect(slow.calls[0]?.sawAbort).toBe(true);
  });

  it("bad options are ECHELON_HEDGE_OPTIONS_INVALID before any work", async () => {
    const agent = recordingAgent();
    for (const options of [{ hedgeAfterMs: -1 }, { maxHedges: 1.5 }, { hedgeAfterMs: "soon" }]) {
      const r = await run(pattern(), docs, [agent], options);
      expect(r.error?.code).toBe("ECHELON_HEDGE_OPTIONS_INVALID");
    }
    expect(agent.calls).toHaveLength(0);
  });

  it("the plugin registers the pattern under the name hedged", () => {
    const registered: string[] = [];
    hedgedPattern().register({ registerPattern: (p: { name: string }) => registered.push(p.name) } as never);
    expect(registered).toEqual(["hedged"]);
  });
});
