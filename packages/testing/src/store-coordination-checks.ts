import { CoreErrorCode, type EventStore, hashPlan, isEchelonError } from "@echelon/core";
import { expect } from "vitest";
import { appendAll, readAll, type StoreConformanceCheck } from "./store-checks.js";
import { journalFixture } from "./store-journal.js";

/** Lets wall-clock time pass (leases and retention are about wall-clock time, not work). */
function elapse(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection, got none");
}

/** Appends whole runs (`state` as `journalFixture` takes it) and commits. */
async function runs(
  store: EventStore,
  specs: readonly (readonly [id: string, state: "running" | "completed" | "failed" | "cancelled"])[],
): Promise<void> {
  for (const [id, state] of specs) appendAll(store, journalFixture(id, { state, leaves: 2 }).events);
  await store.commit?.();
}

/** Checks of what makes a store shared and durable: summaries, leases, cancel requests, prune, close. */
export const STORE_COORDINATION_CHECKS: readonly StoreConformanceCheck[] = [
  {
    name: "summaries list runs newest first with task, state, times and plan hash; limit bounds them",
    members: ["summaries"],
    async run(store) {
      const before = Date.now();
      await runs(store, [
        ["conf-s1", "completed"],
        ["conf-s2", "failed"],
        ["conf-s3", "running"],
      ]);
      const all = await store.summaries!();
      expect(all.map((s) => s.orchestrationId)).toEqual(["conf-s3", "conf-s2", "conf-s1"]);
      expect(all.map((s) => s.state)).toEqual(["running", "failed", "completed"]);
      const plan = journalFixture("conf-s1", { leaves: 2 }).plan;
      for (const s of all) {
        expect(s.taskId).toBe("root");
        expect(s.planHash).toBe(hashPlan(plan));
        expect(s.startedAtEpochMs).toBeGreaterThanOrEqual(before - 1000);
        expect(s.owner).toBeNull();
        expect(s.cancelRequested).toBe(false);
      }
      expect(all[0]!.endedAtEpochMs).toBeNull();
      expect(all[1]!.endedAtEpochMs).toBeGreaterThanOrEqual(before);
      expect((await store.summaries!({ limit: 2 })).map((s) => s.orchestrationId)).toEqual([
        "conf-s3",
        "conf-s2",
      ]);
    },
  },
  {
    name: "claim gives one owner the lease, renews it for that owner, and refuses another with ECHELON_STORE_LEASE_HELD",
    members: ["claim", "summaries"],
    async run(store) {
      await runs(store, [["conf-lease", "running"]]);
      const first = await store.claim!("conf-lease", "owner-a", 60_000);
      expect(first).toMatchObject({ orchestrationId: "conf-lease", owner: "owner-a" });
      expect(first.expiresAtEpochMs).toBeGreaterThan(Date.now() + 50_000);
      const renewed = await store.claim!("conf-lease", "owner-a", 120_000);
      expect(renewed.expiresAtEpochMs).toBeGreaterThan(first.expiresAtEpochMs);
      const error = await caught(store.claim!("conf-lease", "owner-b", 60_000));
      expect(isEchelonError(error, CoreErrorCode.STORE_LEASE_HELD)).toBe(true);
      if (!isEchelonError(error)) return;
      expect(error.details).toMatchObject({ owner: "owner-a", expiresAtEpochMs: renewed.expiresAtEpochMs });
      expect(error.message).toContain("owner-a");
      expect((await store.summaries!())[0]!.owner).toBe("owner-a");
    },
  },
  {
    name: "an expired lease can be taken over, and no longer shows as the run's owner",
    members: ["claim", "summaries"],
    async run(store) {
      await runs(store, [["conf-expiry", "running"]]);
      await store.claim!("conf-expiry", "owner-a", 30);
      await elapse(60);
      expect((await store.summaries!())[0]!.owner).toBeNull();
      const taken = await store.claim!("conf-expiry", "owner-b", 60_000);
      expect(taken.owner).toBe("owner-b");
      expect(isEchelonError(await caught(store.claim!("conf-expiry", "owner-a", 60_000)))).toBe(true);
    },
  },
  {
    name: "claim with takeOverFrom takes an unexpired lease from exactly that owner",
    members: ["claim", "summaries"],
    async run(store) {
      await runs(store, [["conf-takeover", "running"]]);
      await store.claim!("conf-takeover", "owner-dead", 60_000);
      const wrong = await caught(
        store.claim!("conf-takeover", "owner-b", 60_000, { takeOverFrom: "owner-x" }),
      );
      expect(isEchelonError(wrong, CoreErrorCode.STORE_LEASE_HELD)).toBe(true);
      const taken = await store.claim!("conf-takeover", "owner-b", 60_000, { takeOverFrom: "owner-dead" });
      expect(taken.owner).toBe("owner-b");
      expect((await store.summaries!())[0]!.owner).toBe("owner-b");
      const back = await caught(store.claim!("conf-takeover", "owner-dead", 60_000));
      expect(isEchelonError(back, CoreErrorCode.STORE_LEASE_HELD)).toBe(true);
    },
  },
  {
    name: "release frees the lease for its owner only",
    members: ["claim", "release"],
    async run(store) {
      await runs(store, [["conf-release", "running"]]);
      await store.claim!("conf-release", "owner-a", 60_000);
      await store.release!("conf-release", "owner-b");
      expect(isEchelonError(await caught(store.claim!("conf-release", "owner-b", 60_000)))).toBe(true);
      await store.release!("conf-release", "owner-a");
      expect((await store.claim!("conf-release", "owner-b", 60_000)).owner).toBe("owner-b");
    },
  },
  {
    name: "requestCancel flags a running run only: requested, already-finished, unknown",
    members: ["requestCancel", "cancelRequested", "summaries"],
    async run(store) {
      await runs(store, [
        ["conf-c-running", "running"],
        ["conf-c-done", "completed"],
      ]);
      expect(await store.cancelRequested!("conf-c-running")).toBe(false);
      expect(await store.requestCancel!("conf-c-running")).toBe("requested");
      expect(await store.requestCancel!("conf-c-running")).toBe("requested");
      expect(await store.cancelRequested!("conf-c-running")).toBe(true);
      expect(await store.requestCancel!("conf-c-done")).toBe("already-finished");
      expect(await store.cancelRequested!("conf-c-done")).toBe(false);
      expect(await store.requestCancel!("conf-c-nobody")).toBe("unknown");
      expect(await store.cancelRequested!("conf-c-nobody")).toBe(false);
      const flags = Object.fromEntries(
        (await store.summaries!()).map((s) => [s.orchestrationId, s.cancelRequested]),
      );
      expect(flags).toEqual({ "conf-c-running": true, "conf-c-done": false });
    },
  },
  {
    name: "prune by count keeps the newest finished runs and never removes running ones",
    members: ["prune"],
    async run(store) {
      await runs(store, [
        ["conf-p1", "completed"],
        ["conf-p2", "failed"],
        ["conf-p3", "running"],
        ["conf-p4", "cancelled"],
        ["conf-p5", "completed"],
      ]);
      expect(await store.prune!({ keep: 1 })).toBe(3);
      expect([...(await store.list())]).toEqual(["conf-p3", "conf-p5"]);
      expect(await readAll(store, "conf-p1")).toEqual([]);
      expect(await store.prune!({ keep: 0 })).toBe(1);
      expect([...(await store.list())]).toEqual(["conf-p3"]);
      expect((await readAll(store, "conf-p3")).length).toBeGreaterThan(0);
    },
  },
  {
    name: "prune by age removes finished runs that ended longer ago than olderThanMs, only those",
    members: ["prune"],
    async run(store) {
      await runs(store, [
        ["conf-old", "completed"],
        ["conf-old-running", "running"],
      ]);
      await elapse(80);
      await runs(store, [["conf-new", "completed"]]);
      expect(await store.prune!({ olderThanMs: 40 })).toBe(1);
      expect([...(await store.list())]).toEqual(["conf-old-running", "conf-new"]);
      expect(await store.prune!({})).toBe(0);
    },
  },
  {
    name: "close writes what was appended; a reopened durable store has the events, leases and cancel flags",
    members: ["close"],
    async run(store, subject) {
      const { orchestrationId, events } = journalFixture("conf-close", { state: "running" });
      appendAll(store, structuredClone(events));
      await store.claim?.(orchestrationId, "owner-a", 60_000);
      await store.requestCancel?.(orchestrationId);
      await store.close!();
      await expect(store.close!()).resolves.toBeUndefined();
      if (subject.options.reopen === undefined) return;
      const again = await subject.options.reopen(store);
      try {
        expect(await readAll(again, orchestrationId)).toStrictEqual(events);
        if (again.claim !== undefined)
          expect(isEchelonError(await caught(again.claim(orchestrationId, "owner-b", 1000)))).toBe(true);
        if (again.cancelRequested !== undefined)
          expect(await again.cancelRequested(orchestrationId)).toBe(true);
      } finally {
        await again.close?.();
      }
    },
  },
];
