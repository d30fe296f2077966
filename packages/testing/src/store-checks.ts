import {
  type EchelonEvent,
  type EventStore,
  foldRunState,
  HierarchicalOrchestrator,
  replayOrchestration,
} from "@echelon/core";
import { expect } from "vitest";
import { referencePatterns } from "./reference-patterns.js";
import { journalFixture } from "./store-journal.js";
import { recordingAgent } from "./test-agents.js";

/** Options of `describeStoreConformance`. */
export interface StoreConformanceOptions {
  /**
   * For durable stores: opens the same journal again after `closed` was closed. With it, the
   * suite also checks that events appended without `commit()`, leases and cancel requests
   * survive `close()`.
   */
  readonly reopen?: (closed: EventStore) => EventStore | Promise<EventStore>;
  /**
   * Check only the members the store has, skipping the checks of the optional ones it lacks
   * (a journal-only store). Default false: every member of the contract is required, as the
   * orchestrator's durability (commit, leases, cancel requests, retention) needs them all.
   */
  readonly presentMembersOnly?: boolean;
}

/** What a store check runs against. */
export interface StoreConformanceSubject {
  /** Makes a fresh, empty store (one per check). */
  readonly makeStore: () => EventStore | Promise<EventStore>;
  /** The options the suite was called with. */
  readonly options: StoreConformanceOptions;
}

/** One check of the store contract. */
export interface StoreConformanceCheck {
  /** What the check asserts (the test title). */
  readonly name: string;
  /** Optional members of `EventStore` the check needs. */
  readonly members: readonly (keyof EventStore)[];
  /** Runs the check; throws (an assertion error) when the store breaks the contract. */
  run(store: EventStore, subject: StoreConformanceSubject): Promise<void>;
}

/** Appends every event of a journal, in order. */
export function appendAll(store: EventStore, events: readonly EchelonEvent[]): void {
  for (const event of events) store.append(event);
}

/** A journal read, as an array (stores may answer synchronously or not). */
export async function readAll(store: EventStore, orchestrationId: string): Promise<EchelonEvent[]> {
  return [...(await store.read(orchestrationId))];
}

/** A deep copy, so a store that keeps (or changes) the appended objects cannot pass by identity. */
function copy<T>(value: T): T {
  return structuredClone(value);
}

/** Checks of the journal: append, read, order, fold, list, commit. */
export const STORE_JOURNAL_CHECKS: readonly StoreConformanceCheck[] = [
  {
    name: "read returns every appended event, deep-equal and in order (plan, outputs, errors, plugin events)",
    members: [],
    async run(store) {
      const { orchestrationId, events } = journalFixture("conf-roundtrip", { state: "failed" });
      appendAll(store, copy(events));
      await store.commit?.();
      expect(await readAll(store, orchestrationId)).toStrictEqual(events);
    },
  },
  {
    name: "an event is readable as soon as append returns (before commit)",
    members: [],
    async run(store) {
      const { orchestrationId, events } = journalFixture("conf-unflushed", { state: "running" });
      appendAll(store, copy(events.slice(0, 3)));
      expect(await readAll(store, orchestrationId)).toStrictEqual(events.slice(0, 3));
      appendAll(store, copy(events.slice(3)));
      expect(await readAll(store, orchestrationId)).toStrictEqual(events);
    },
  },
  {
    name: "readEach, when the store has it, hands out what read returns, in order (uncommitted events too)",
    members: [],
    async run(store) {
      if (store.readEach === undefined) return;
      const { orchestrationId, events } = journalFixture("conf-each", { state: "completed" });
      appendAll(store, copy(events.slice(0, 4)));
      await store.commit?.();
      appendAll(store, copy(events.slice(4)));
      const seen: EchelonEvent[] = [];
      await store.readEach(orchestrationId, (event) => seen.push(event));
      expect(seen).toStrictEqual(events);
      const none: EchelonEvent[] = [];
      await store.readEach("conf-each-missing", (event) => none.push(event));
      expect(none).toEqual([]);
      const stop = new Error("stop");
      let calls = 0;
      const failing = async () =>
        store.readEach!(orchestrationId, () => {
          calls++;
          throw stop;
        });
      await expect(failing()).rejects.toBe(stop);
      expect(calls).toBe(1);
    },
  },
  {
    name: "interleaved runs each keep their own order; an unknown id reads empty",
    members: [],
    async run(store) {
      const a = journalFixture("conf-a").events;
      const b = journalFixture("conf-b", { state: "cancelled", leaves: 3 }).events;
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if (i < a.length) store.append(copy(a[i]!));
        if (i < b.length) store.append(copy(b[i]!));
      }
      await store.commit?.();
      expect(await readAll(store, "conf-a")).toStrictEqual(a);
      expect(await readAll(store, "conf-b")).toStrictEqual(b);
      expect(await readAll(store, "conf-missing")).toEqual([]);
    },
  },
  {
    name: "folding what is read rebuilds the state, status and outputs of what was appended",
    members: [],
    async run(store) {
      for (const state of ["completed", "failed", "running"] as const) {
        const { orchestrationId, events } = journalFixture(`conf-fold-${state}`, { state, leaves: 5 });
        appendAll(store, copy(events));
        await store.commit?.();
        const read = await readAll(store, orchestrationId);
        expect(foldRunState(read, { keepOutputs: true })).toStrictEqual(
          foldRunState(events, { keepOutputs: true }),
        );
        const replayed = replayOrchestration(read);
        const expected = replayOrchestration(events);
        expect(replayed.status).toStrictEqual(expected.status);
        expect(replayed.result).toStrictEqual(expected.result);
        expect([...replayed.outputs]).toStrictEqual([...expected.outputs]);
      }
    },
  },
  {
    name: "a real orchestration journaled through the store reads back as its events were emitted",
    members: [],
    async run(store) {
      const orchestrator = new HierarchicalOrchestrator({
        eventStore: store,
        plugins: [referencePatterns()],
        agents: [recordingAgent((w) => ({ doubled: Number(w.input) * 2 }), { capacity: 2 })],
      });
      const emitted: EchelonEvent[] = [];
      orchestrator.events.onAny((e) => {
        if (e.orchestrationId !== "") emitted.push(e);
      });
      try {
        const result = await orchestrator.orchestrateComplexTask({
          description: "conformance",
          pattern: "sequence",
          children: [1, 2, 3].map((n) => ({ id: `n${n}`, description: `double ${n}`, input: n })),
        });
        expect(result.state).toBe("completed");
        await store.commit?.();
        const read = await readAll(store, result.orchestrationId);
        // toEqual: a JSON store drops keys whose value is undefined, as JSON does.
        expect(read).toEqual(emitted.filter((e) => e.orchestrationId === result.orchestrationId));
        expect(replayOrchestration(read).result).toEqual(result);
      } finally {
        await orchestrator.shutdown();
      }
    },
  },
  {
    name: "list names every run once, oldest first",
    members: [],
    async run(store) {
      for (const id of ["conf-l1", "conf-l2", "conf-l3"])
        appendAll(store, journalFixture(id, { leaves: 1 }).events);
      store.append(copy(journalFixture("conf-l1", { leaves: 1 }).events[1]!));
      await store.commit?.();
      expect([...(await store.list())]).toEqual(["conf-l1", "conf-l2", "conf-l3"]);
    },
  },
  {
    name: "commit resolves with nothing to write, and once everything appended is written",
    members: ["commit"],
    async run(store) {
      await expect(store.commit!()).resolves.toBeUndefined();
      const { orchestrationId, events } = journalFixture("conf-commit");
      appendAll(store, copy(events));
      const commits = [store.commit!(), store.commit!()];
      await expect(Promise.all(commits)).resolves.toEqual([undefined, undefined]);
      expect(await readAll(store, orchestrationId)).toStrictEqual(events);
    },
  },
];
