import { EchelonError, functionAgent, isEchelonError, MemoryEventStore } from "@echelon/core";
import { afterEach, describe, expect, it } from "vitest";
import { MonitoringErrorCode, startDashboard } from "../src/index.js";
import {
  api,
  closeAll,
  dashboard,
  fork,
  journaledOrchestrator,
  lines,
  sqliteStore,
  tempJournal,
  tick,
} from "./journal-support.js";
import { hasher, makeOrchestrator, openEndedHasher } from "./support.js";

afterEach(closeAll);

/** Doubles its input; fails with a coded error on input 2 when `failOnTwo`. */
const doubler = (failOnTwo = false) =>
  functionAgent({ name: "doubler", capacity: 2 }, (work) => {
    if (failOnTwo && work.input === 2) throw new EchelonError("ECHELON_TEST_LEAF_BROKEN", "leaf 2 broke");
    return Number(work.input) * 2;
  });

describe("dashboard: runs from the journal", () => {
  it("lists a run another orchestrator journaled in the same SQLite file as source journal, its own runs as live, each once, newest first", async () => {
    const path = tempJournal();
    const other = journaledOrchestrator([doubler()], sqliteStore(path));
    const elsewhere = await other.orchestrateComplexTask(fork(3), { orchestrationId: "elsewhere" });
    expect(elsewhere.state).toBe("completed");
    await tick();
    const mine = journaledOrchestrator([doubler()], sqliteStore(path));
    const d = await dashboard({ orchestrator: mine, historyRefreshMs: 1 });
    await mine.orchestrateComplexTask(fork(2), { orchestrationId: "here" });

    const listed = await lines(d);
    // "here" is in the journal too: the monitor's line wins and it is listed once.
    expect(listed.map((l) => [l.id, l.source, l.state])).toEqual([
      ["here", "live", "completed"],
      ["elsewhere", "journal", "completed"],
    ]);
    expect(listed[1]).toMatchObject({ owner: null, orphaned: false, cancelRequested: false });
  });

  it("lists runs of any EventStore: with a memory store, a run finished before the dashboard started is a journal run", async () => {
    const store = new MemoryEventStore();
    const orchestrator = journaledOrchestrator([doubler()], null);
    const remembering = journaledOrchestrator([doubler()], store);
    await remembering.orchestrateComplexTask(fork(2), { orchestrationId: "earlier" });
    await tick();
    const d = await dashboard({ orchestrator: remembering });
    await remembering.orchestrateComplexTask(fork(2), { orchestrationId: "later" });
    expect((await lines(d)).map((l) => [l.id, l.source])).toEqual([
      ["later", "live"],
      ["earlier", "journal"],
    ]);
    // `store` chooses another journal than the orchestrator's own; `null` none at all.
    const other = await dashboard({ orchestrator, store });
    expect((await lines(other)).map((l) => [l.id, l.source])).toEqual([
      ["later", "journal"],
      ["earlier", "journal"],
    ]);
    // Without a journal, only what the monitor saw.
    const none = await dashboard({ orchestrator: remembering, store: null, monitor: d.monitor });
    expect((await lines(none)).map((l) => l.id)).toEqual(["later"]);
  });

  it("opens a journal-only run: state, progress, tree and result folded from its events, as the run reported them", async () => {
    const path = tempJournal();
    const other = journaledOrchestrator([doubler()], sqliteStore(path));
    const result = await other.orchestrateComplexTask(fork(3), { orchestrationId: "done-elsewhere" });
    const d = await dashboard({ orchestrator: makeOrchestrator([hasher(10, 1)]), store: sqliteStore(path) });

    const { status, body } = await api(d, "/api/orchestrations/done-elsewhere");
    expect(status).toBe(200);
    expect(body.orchestration).toMatchObject({
      id: "done-elsewhere",
      taskId: "root",
      state: "completed",
      progress: 100,
      totalTasks: result.metadata.totalTasks,
      source: "journal",
      orphaned: false,
    });
    const rows = body.rows as unknown[][];
    expect(rows.map((r) => [r[0], r[6]])).toEqual([
      ["root", "completed"],
      ["root/leaf0", "completed"],
      ["root/leaf1", "completed"],
      ["root/leaf2", "completed"],
    ]);
    expect(body.outcome).toEqual({ success: true, result: [0, 2, 4], error: null });
    expect(result.result).toEqual([0, 2, 4]);
  });

  it("opens a failed journal run with its coded error and the failed node", async () => {
    const path = tempJournal();
    const other = journaledOrchestrator([doubler(true)], sqliteStore(path));
    const result = await other.orchestrateComplexTask(fork(3), { orchestrationId: "broke" });
    expect(result.state).toBe("failed");
    const d = await dashboard({ orchestrator: makeOrchestrator([hasher(10, 1)]), store: sqliteStore(path) });

    const { body } = await api(d, "/api/orchestrations/broke");
    expect(body.orchestration).toMatchObject({ state: "failed", source: "journal" });
    expect((body.rows as unknown[][]).find((r) => r[0] === "root/leaf2")?.[6]).toBe("failed");
    expect(body.outcome).toMatchObject({ success: false, result: null, error: { code: result.error?.code } });
    expect(JSON.stringify(body.outcome)).toContain("leaf 2 broke");
  });

  it("a live run's detail carries its outcome from the journal once it has finished", async () => {
    const path = tempJournal();
    const mine = journaledOrchestrator([doubler()], sqliteStore(path));
    const d = await dashboard({ orchestrator: mine });
    await mine.orchestrateComplexTask(fork(2), { orchestrationId: "mine" });
    const { body } = await api(d, "/api/orchestrations/mine");
    expect(body.orchestration).toMatchObject({ source: "live", state: "completed" });
    expect(body.outcome).toEqual({ success: true, result: [0, 2], error: null });
  });

  it("answers 404 ECHELON_ORCHESTRATION_UNKNOWN for an id neither the monitor nor the journal knows", async () => {
    const path = tempJournal();
    const d = await dashboard({ orchestrator: makeOrchestrator([hasher(10, 1)]), store: sqliteStore(path) });
    const { status, body } = await api(d, "/api/orchestrations/nowhere");
    expect(status).toBe(404);
    expect(body).toMatchObject({ code: "ECHELON_ORCHESTRATION_UNKNOWN", orchestrationId: "nowhere" });
  });
});

describe("dashboard: historyLimit", () => {
  it("bounds the list to the newest runs, live and journaled together; an unfinished live run stays listed beyond it", async () => {
    const path = tempJournal();
    const work = openEndedHasher();
    const mine = journaledOrchestrator(
      [functionAgent({ name: "slow", capacity: 1 }, work.run)],
      sqliteStore(path),
    );
    const d = await dashboard({ orchestrator: mine, historyLimit: 3, historyRefreshMs: 1 });
    const long = mine.orchestrateComplexTask(
      { id: "root", description: "long" },
      { orchestrationId: "long" },
    );
    await tick();
    const other = journaledOrchestrator([doubler()], sqliteStore(path));
    for (const id of ["j1", "j2", "j3", "j4"]) {
      await other.orchestrateComplexTask(fork(1), { orchestrationId: id });
      await tick();
    }
    expect((await lines(d)).map((l) => [l.id, l.source])).toEqual([
      ["j4", "journal"],
      ["j3", "journal"],
      ["j2", "journal"],
      ["long", "live"],
    ]);
    work.release();
    expect((await long).state).toBe("completed");
    expect((await lines(d)).map((l) => l.id)).toEqual(["j4", "j3", "j2"]);
  });

  it("defaults to 50", async () => {
    const store = new MemoryEventStore();
    const other = journaledOrchestrator([doubler()], store);
    for (let i = 0; i < 55; i++) await other.orchestrateComplexTask(fork(1), { orchestrationId: `r${i}` });
    const d = await dashboard({ orchestrator: makeOrchestrator([hasher(10, 1)]), store });
    expect(await lines(d)).toHaveLength(50);
  });
});

describe("dashboard: journal options", () => {
  const codeOf = async (options: Record<string, unknown>): Promise<unknown> => {
    try {
      const d = await startDashboard({ orchestrator: makeOrchestrator([hasher(10, 1)]), ...options });
      await d.close();
      return "started";
    } catch (error) {
      return isEchelonError(error) ? [error.code, (error.details as { option?: string }).option] : error;
    }
  };

  it.each([
    ["store", "journal.db"],
    ["store", {}],
    ["store", { read: "not a function" }],
    ["historyLimit", 0],
    ["historyLimit", 1001],
    ["historyLimit", 2.5],
    ["historyLimit", "10"],
    ["historyLimit", Number.NaN],
    ["historyRefreshMs", 0],
    ["historyRefreshMs", -5],
  ])("refuses %s = %j with ECHELON_MONITORING_INVALID_OPTIONS naming the option", async (option, value) => {
    expect(await codeOf({ [option]: value })).toEqual([MonitoringErrorCode.INVALID_OPTIONS, option]);
  });

  it("accepts the bounds: historyLimit 1 and 1,000, store null", async () => {
    expect(await codeOf({ historyLimit: 1 })).toBe("started");
    expect(await codeOf({ historyLimit: 1000, store: null })).toBe("started");
  });
});
