import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import {
  type EchelonEvent,
  type EventStore,
  functionAgent,
  HierarchicalOrchestrator,
  isOwnerProcessGone,
  MemoryEventStore,
  type OrchestrationResult,
  type TaskSpec,
} from "../src/index.js";
import { testPatterns, timer } from "./support/test-patterns.js";

/**
 * Effects keyed by idempotency key, as an agent that honours the key applies them: a second
 * application of one key is counted but changes nothing.
 */
class Ledger {
  readonly applied = new Map<string, number>();
  /** The event count at the moment each key was first applied. */
  readonly at = new Map<string, number>();
  constructor(private readonly eventCount: () => number) {}
  apply(key: string): void {
    this.applied.set(key, (this.applied.get(key) ?? 0) + 1);
    if (!this.at.has(key)) this.at.set(key, this.eventCount());
  }
  keys(): string[] {
    return [...this.applied.keys()].sort();
  }
}

function agentsFor(ledger: Ledger, failing: ReadonlySet<string>) {
  return [
    functionAgent({ capacity: 4 }, async (work, ctx) => {
      await new Promise<void>((r) => setImmediate(r));
      if (failing.has(work.taskId)) throw new Error(`${work.taskId} fails`);
      ledger.apply(ctx.idempotencyKey);
      return { did: work.taskId };
    }),
  ];
}

const spec = (withFailure: boolean): TaskSpec => ({
  id: "job",
  description: "job",
  pattern: "test-sequence",
  children: [
    { id: "a", description: "a" },
    {
      id: "fan",
      description: "fan",
      pattern: "test-parallel",
      children: ["b", "c", "d"].map((id) => ({ id, description: id })),
    },
    {
      id: "saga",
      description: "saga",
      pattern: "test-saga",
      children: [
        { id: "e", description: "e", compensate: { description: "undo e" } },
        { id: "f", description: "f", compensate: { description: "undo f" } },
        { id: withFailure ? "g-fails" : "g", description: "g" },
      ],
    },
  ],
});

async function faultFree(withFailure: boolean) {
  const store = new MemoryEventStore();
  const events: EchelonEvent[] = [];
  const ledger = new Ledger(() => events.length);
  const o = new HierarchicalOrchestrator({
    maxDepth: 2,
    agents: agentsFor(ledger, new Set(["g-fails"])),
    plugins: [testPatterns()],
    eventStore: store,
  });
  o.events.onAny((e) => {
    if (e.orchestrationId === "run") events.push(e);
  });
  const result = await o.orchestrateComplexTask(spec(withFailure), { orchestrationId: "run" });
  await o.shutdown();
  return { events: [...store.read("run")], ledger, result };
}

/** A store holding the first `k` events of a journal: the journal of a process killed after write k. */
function crashedAfter(events: readonly EchelonEvent[], k: number): EventStore {
  const store = new MemoryEventStore();
  for (const e of events.slice(0, k)) store.append(e);
  return store;
}

function comparable(result: OrchestrationResult) {
  return { state: result.state, result: result.result, code: result.error?.code ?? null };
}

describe("resume from a journal cut after every write", () => {
  for (const withFailure of [false, true]) {
    it(`${withFailure ? "a saga that compensates" : "mixed patterns"}: same result, every effect once per key, saga invariant held`, async () => {
      const reference = await faultFree(withFailure);
      expect(reference.result.state).toBe(withFailure ? "failed" : "completed");
      const total = reference.events.length;
      expect(total).toBeGreaterThan(25);
      for (let k = 1; k < total; k++) {
        // Effects the killed process applied before write k, then the resume in a "fresh process".
        const ledger = new Ledger(() => 0);
        for (const [key, at] of reference.ledger.at) if (at <= k) ledger.apply(key);
        const store = crashedAfter(reference.events, k);
        const o = new HierarchicalOrchestrator({
          maxDepth: 2,
          agents: agentsFor(ledger, new Set(["g-fails"])),
          plugins: [testPatterns()],
          eventStore: store,
        });
        const journal = [...(await store.read("run"))];
        const started = journal.some((e) => e.type === "orchestration:started");
        if (!started) {
          await expect(o.resume("run")).rejects.toMatchObject({ code: "ECHELON_RESUME_IMPOSSIBLE" });
          await o.shutdown();
          continue;
        }
        const resumed = await o.resume("run");
        await o.shutdown();
        expect({ k, ...comparable(resumed) }).toEqual({ k, ...comparable(reference.result) });
        expect({ k, keys: ledger.keys() }).toEqual({ k, keys: reference.ledger.keys() });
        // A leaf whose completion was journaled before the cut never ran again.
        for (const e of journal) {
          if (e.type !== "task:completed" || e.kind === "composite") continue;
          expect({ k, key: e.nodePath, runs: ledger.applied.get(`run/${e.nodePath}`) }).toEqual({
            k,
            key: e.nodePath,
            runs: 1,
          });
        }
        // Saga invariant: compensations only of steps that ran, each at most once, never both ways for one step.
        const compensations = ledger.keys().filter((key) => key.endsWith(":compensate"));
        if (withFailure)
          expect(compensations).toEqual(["run/job/saga/e:compensate", "run/job/saga/f:compensate"]);
        else expect(compensations).toEqual([]);
      }
    });
  }
});

describe("resume", () => {
  it("a finished run gives back its result; a cancelled run stays cancelled", async () => {
    const store = new MemoryEventStore();
    const o = new HierarchicalOrchestrator({
      maxDepth: 1,
      agents: [functionAgent({}, async (_w, ctx) => timer(60_000, ctx.signal))],
      plugins: [testPatterns()],
      eventStore: store,
    });
    const pending = o.orchestrateComplexTask(
      { description: "x", pattern: "test-parallel", children: [{ description: "slow" }] },
      { orchestrationId: "c" },
    );
    await new Promise((r) => setTimeout(r, 10));
    o.cancelOrchestration("c");
    const cancelled = await pending;
    await o.shutdown();
    const again = new HierarchicalOrchestrator({
      maxDepth: 1,
      agents: [functionAgent({}, () => 1)],
      plugins: [testPatterns()],
      eventStore: store,
    });
    expect((await again.resume("c")).state).toBe("cancelled");
    expect(await again.resume("c")).toEqual(cancelled);
    await again.shutdown();
  });

  it("a run cut while it was being cancelled finishes cancelling on resume", async () => {
    const store = new MemoryEventStore();
    const o = new HierarchicalOrchestrator({
      maxDepth: 1,
      agents: [functionAgent({}, async (_w, ctx) => timer(60_000, ctx.signal))],
      plugins: [testPatterns()],
      eventStore: store,
    });
    const pending = o.orchestrateComplexTask(
      { description: "x", pattern: "test-parallel", children: [{ description: "slow" }] },
      { orchestrationId: "c" },
    );
    await new Promise((r) => setTimeout(r, 10));
    o.cancelOrchestration("c");
    await pending;
    await o.shutdown();
    const journal = store.read("c");
    const cut = journal.findIndex((e) => e.type === "orchestration:cancelling") + 1;
    const crashed = crashedAfter(journal, cut);
    const again = new HierarchicalOrchestrator({
      maxDepth: 1,
      agents: [functionAgent({}, () => 1)],
      plugins: [testPatterns()],
      eventStore: crashed,
    });
    expect((await again.resume("c")).state).toBe("cancelled");
    await again.shutdown();
  });

  it("refuses a changed definition unless forced, an unknown run, and a run another process owns", async () => {
    const reference = await faultFree(false);
    const cut = crashedAfter(reference.events, 10);
    const ledger = new Ledger(() => 0);
    const o = new HierarchicalOrchestrator({
      maxDepth: 2,
      agents: agentsFor(ledger, new Set()),
      plugins: [testPatterns()],
      eventStore: cut,
    });
    const changed = { ...spec(false), description: "job, edited" };
    await expect(o.resume("run", { task: changed })).rejects.toMatchObject({
      code: "ECHELON_RESUME_PLAN_CHANGED",
    });
    await expect(o.resume("nope")).rejects.toMatchObject({ code: "ECHELON_RESUME_IMPOSSIBLE" });
    await cut.claim!("run", "another-host:42", 60_000);
    await expect(o.resume("run")).rejects.toMatchObject({
      code: "ECHELON_STORE_LEASE_HELD",
      details: expect.objectContaining({ owner: "another-host:42" }),
    });
    await cut.release!("run", "another-host:42");
    expect((await o.resume("run", { task: spec(false) })).state).toBe("completed");
    await o.shutdown();
  });

  it("takes over at once a lease whose process on this host is gone, not one whose process lives", async () => {
    const reference = await faultFree(false);
    const cut = crashedAfter(reference.events, 10);
    const exited = spawnSync(process.execPath, ["-e", ""]);
    const dead = `${hostname()}:${exited.pid}:0badf00d`;
    const alive = `${hostname()}:${process.ppid}:0badf00d`;
    expect([isOwnerProcessGone(dead), isOwnerProcessGone(alive)]).toEqual([true, false]);
    expect(isOwnerProcessGone(`elsewhere:${exited.pid}:0badf00d`)).toBe(false);
    expect(isOwnerProcessGone("not-a-default-id")).toBe(false);
    const o = new HierarchicalOrchestrator({
      maxDepth: 2,
      agents: agentsFor(new Ledger(() => 0), new Set()),
      plugins: [testPatterns()],
      eventStore: cut,
    });
    await cut.claim!("run", alive, 60_000);
    await expect(o.resume("run")).rejects.toMatchObject({ code: "ECHELON_STORE_LEASE_HELD" });
    await cut.claim!("run", dead, 60_000, { takeOverFrom: alive });
    expect((await o.resume("run")).state).toBe("completed");
    await o.shutdown();
  });

  it("a cancel written to the store by another process reaches the running orchestration within a second", async () => {
    const store = new MemoryEventStore();
    const o = new HierarchicalOrchestrator({
      maxDepth: 1,
      agents: [functionAgent({}, async (_w, ctx) => timer(60_000, ctx.signal))],
      plugins: [testPatterns()],
      eventStore: store,
      cancelPollMs: 100,
    });
    const pending = o.orchestrateComplexTask(
      { description: "x", pattern: "test-parallel", children: [{ description: "slow" }] },
      { orchestrationId: "remote" },
    );
    await new Promise((r) => setTimeout(r, 20));
    const asked = performance.now();
    expect(await store.requestCancel("remote")).toBe("requested");
    const result = await pending;
    expect(result.state).toBe("cancelled");
    expect(performance.now() - asked).toBeLessThan(1000);
    expect(await store.requestCancel("remote")).toBe("already-finished");
    await o.shutdown();
  });
});
