import { CoreErrorCode, type EventStore, functionAgent, MemoryEventStore } from "@echelon/core";
import { afterEach, describe, expect, it } from "vitest";
import { MonitoringErrorCode } from "../src/index.js";
import {
  api,
  closeAll,
  dashboard,
  eventually,
  fork,
  journaledOrchestrator,
  lines,
  ownerProcess,
  sqliteStore,
  tempJournal,
} from "./journal-support.js";
import { hasher, makeOrchestrator, openEndedHasher } from "./support.js";

afterEach(closeAll);

const ONE_LEAF = { id: "root", description: "hash until released" };

/** A dashboard whose own orchestrator knows none of the journal's runs. */
const watching = (store: EventStore) =>
  dashboard({ orchestrator: makeOrchestrator([hasher(10, 1)]), store, historyRefreshMs: 1 });

const lineOf = async (d: Awaited<ReturnType<typeof watching>>, id: string, state: string) =>
  eventually(async () => (await lines(d)).find((l) => l.id === id && l.state === state), `${id} ${state}`);

describe("dashboard: cancel through the journal", () => {
  it("cancels a run another orchestrator runs: the request is recorded in the journal and the owner stops the run", async () => {
    const path = tempJournal();
    const work = openEndedHasher();
    const other = journaledOrchestrator([functionAgent({ name: "slow" }, work.run)], sqliteStore(path));
    const reader = sqliteStore(path);
    const d = await watching(reader);
    try {
      const pending = other.orchestrateComplexTask(ONE_LEAF, { orchestrationId: "remote" });
      const line = await lineOf(d, "remote", "running");
      expect(line).toMatchObject({ source: "journal", orphaned: false, cancelRequested: false });
      expect(line.owner).toMatch(/:\d+:[0-9a-f]{8}$/);

      const answer = await api(d, "/api/orchestrations/remote/cancel", "POST");
      expect(answer).toEqual({
        status: 202,
        body: { requested: true, via: "journal", orchestrationId: "remote", owner: line.owner },
      });
      expect(await reader.cancelRequested("remote")).toBe(true);
      expect((await pending).state).toBe("cancelled");
      await lineOf(d, "remote", "cancelled");
    } finally {
      work.release();
    }
  });

  it("cancels a run of a child process through the journal; the child sees the request and ends the run cancelled", async () => {
    const path = tempJournal();
    const owner = ownerProcess(path, "child-run");
    const pid = await owner.running;
    const d = await watching(sqliteStore(path));
    const line = await lineOf(d, "child-run", "running");
    expect(line).toMatchObject({ source: "journal", orphaned: false });
    expect(line.owner).toContain(`:${pid}:`);

    const detail = await api(d, "/api/orchestrations/child-run");
    expect(detail.body.orchestration).toMatchObject({
      state: "running",
      source: "journal",
      owner: line.owner,
    });
    expect((detail.body.rows as unknown[][]).map((r) => [r[0], r[6]])).toEqual([["chain", "running"]]);
    expect(detail.body.outcome).toBeNull();

    const answer = await api(d, "/api/orchestrations/child-run/cancel", "POST");
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ via: "journal", owner: line.owner });
    expect(await owner.finished).toEqual({ state: "cancelled", code: CoreErrorCode.CANCELLED });
    const after = await lineOf(d, "child-run", "cancelled");
    expect(after).toMatchObject({ cancelRequested: true, owner: null, orphaned: false });
  });

  it("a run whose process was killed is listed without a live owner; a cancel is recorded for when it is resumed", async () => {
    const path = tempJournal();
    const owner = ownerProcess(path, "crashed");
    await owner.running;
    const reader = sqliteStore(path);
    const d = await watching(reader);
    await lineOf(d, "crashed", "running");
    owner.child.kill("SIGKILL");
    expect(await owner.finished).toBeNull();

    const line = await eventually(
      async () => (await lines(d)).find((l) => l.id === "crashed" && l.orphaned),
      "crashed run orphaned",
    );
    expect(line).toMatchObject({ state: "running", owner: null, source: "journal" });
    const answer = await api(d, "/api/orchestrations/crashed/cancel", "POST");
    expect(answer).toEqual({
      status: 202,
      body: { requested: true, via: "journal", orchestrationId: "crashed", owner: null },
    });
    expect(await reader.cancelRequested("crashed")).toBe(true);
  });

  it.each([
    ["completed", false],
    ["failed", true],
  ])(
    "refuses to cancel a %s journal run: 409 ECHELON_DASHBOARD_RUN_FINISHED, nothing recorded",
    async (state, fail) => {
      const path = tempJournal();
      const agent = functionAgent({ name: "maybe" }, () => {
        if (fail) throw new Error("no luck");
        return "ok";
      });
      const other = journaledOrchestrator([agent], sqliteStore(path));
      expect((await other.orchestrateComplexTask(ONE_LEAF, { orchestrationId: "over" })).state).toBe(state);
      const reader = sqliteStore(path);
      const d = await watching(reader);

      const answer = await api(d, "/api/orchestrations/over/cancel", "POST");
      expect(answer).toEqual({
        status: 409,
        body: {
          error: `orchestration over already finished (${state}); there is nothing to cancel`,
          code: MonitoringErrorCode.RUN_FINISHED,
          orchestrationId: "over",
          state,
          finished: true,
        },
      });
      expect(await reader.cancelRequested("over")).toBe(false);
    },
  );

  it("answers 404 ECHELON_ORCHESTRATION_UNKNOWN for a cancel of an id the journal does not hold", async () => {
    const reader = sqliteStore(tempJournal());
    const d = await watching(reader);
    const answer = await api(d, "/api/orchestrations/ghost/cancel", "POST");
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({
      code: CoreErrorCode.ORCHESTRATION_UNKNOWN,
      orchestrationId: "ghost",
    });
    expect(await reader.summaries()).toEqual([]);
  });
});

/** A store over `inner` with some members failing or missing. */
function broken(
  inner: MemoryEventStore,
  breaks: { summaries?: boolean; read?: boolean; requestCancel?: "throws" | "missing" },
): EventStore {
  const fail = (what: string) => () => Promise.reject(new Error(`disk I/O error in ${what}`));
  return {
    name: "broken",
    append: (e) => inner.append(e),
    list: () => inner.list(),
    read: breaks.read
      ? () => {
          throw new Error("disk I/O error in read");
        }
      : (id) => inner.read(id),
    summaries: breaks.summaries ? fail("summaries") : (o) => inner.summaries(o),
    ...(breaks.requestCancel === "missing"
      ? {}
      : {
          requestCancel:
            breaks.requestCancel === "throws"
              ? fail("requestCancel")
              : (id: string) => inner.requestCancel(id),
        }),
  };
}

describe("dashboard: a journal that fails", () => {
  it("/api/state still lists the monitor's runs, with the coded problem; the page's other routes answer 500 with the code", async () => {
    const inner = new MemoryEventStore();
    const other = journaledOrchestrator([hasher(10, 1)], inner);
    await other.orchestrateComplexTask(fork(1), { orchestrationId: "theirs" });
    const mine = makeOrchestrator([hasher(10, 1)]);
    const d = await dashboard({ orchestrator: mine, store: broken(inner, { summaries: true, read: true }) });
    await mine.orchestrateComplexTask(fork(1), { orchestrationId: "mine" });

    const state = await api(d, "/api/state");
    expect(state.status).toBe(200);
    expect((state.body.orchestrations as { id: string }[]).map((o) => o.id)).toEqual(["mine"]);
    expect(state.body.journal).toMatchObject({ code: MonitoringErrorCode.JOURNAL_FAILED });
    expect(String((state.body.journal as { error: string }).error)).toContain("disk I/O error in summaries");

    const detail = await api(d, "/api/orchestrations/theirs");
    expect(detail.status).toBe(500);
    expect(detail.body).toMatchObject({ code: MonitoringErrorCode.JOURNAL_FAILED });
    // A run the monitor saw is still served whole.
    expect((await api(d, "/api/orchestrations/mine")).body.orchestration).toMatchObject({
      state: "completed",
    });
  });

  it("a cancel the journal cannot record answers 500 ECHELON_DASHBOARD_JOURNAL_FAILED; a store without requestCancel, 409 ECHELON_DASHBOARD_CANCEL_UNAVAILABLE", async () => {
    const inner = new MemoryEventStore();
    const work = openEndedHasher();
    const other = journaledOrchestrator([functionAgent({ name: "slow" }, work.run)], inner);
    try {
      const pending = other.orchestrateComplexTask(ONE_LEAF, { orchestrationId: "busy" });
      const throwing = await watching(broken(inner, { requestCancel: "throws" }));
      await lineOf(throwing, "busy", "running");
      const failed = await api(throwing, "/api/orchestrations/busy/cancel", "POST");
      expect(failed.status).toBe(500);
      expect(failed.body).toMatchObject({ code: MonitoringErrorCode.JOURNAL_FAILED });

      const without = await watching(broken(inner, { requestCancel: "missing" }));
      const refused = await api(without, "/api/orchestrations/busy/cancel", "POST");
      expect(refused).toMatchObject({
        status: 409,
        body: { code: MonitoringErrorCode.CANCEL_UNAVAILABLE, orchestrationId: "busy", state: "running" },
      });
      expect(await inner.cancelRequested("busy")).toBe(false);
      work.release();
      expect((await pending).state).toBe("completed");
    } finally {
      work.release();
    }
  });

  it("refuses malformed and overlong ids with 400 ECHELON_DASHBOARD_ID_MALFORMED before asking the journal", async () => {
    const inner = new MemoryEventStore();
    const d = await watching(broken(inner, { read: true, summaries: true, requestCancel: "throws" }));
    for (const route of ["/api/orchestrations/%E0%A4%A", `/api/orchestrations/${"x".repeat(1025)}`]) {
      expect(await api(d, route)).toMatchObject({
        status: 400,
        body: { code: MonitoringErrorCode.ID_MALFORMED },
      });
      expect(await api(d, `${route}/cancel`, "POST")).toMatchObject({ status: 400 });
    }
  });
});
