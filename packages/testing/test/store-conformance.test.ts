import { type EchelonEvent, type EventStore, type Lease, MemoryEventStore } from "@echelon/core";
import { describe, expect, it } from "vitest";
import { describeStoreConformance, STORE_CONFORMANCE_CHECKS } from "../src/index.js";

// The memory store has every member but commit (its appends are final when they return).
describeStoreConformance("memory", () => new MemoryEventStore(), { presentMembersOnly: true });

/** The memory store with one thing broken. */
function broken(change: (store: MemoryEventStore) => Partial<EventStore>): () => EventStore {
  return () => {
    const inner = new MemoryEventStore();
    const overrides = change(inner);
    const store: EventStore = {
      name: "broken",
      append: (e) => inner.append(e),
      read: (id) => inner.read(id),
      list: () => inner.list(),
      commit: async () => {},
      summaries: (o) => inner.summaries(o),
      claim: (id, owner, ttl, o) => inner.claim(id, owner, ttl, o),
      release: (id, owner) => inner.release(id, owner),
      requestCancel: (id) => inner.requestCancel(id),
      cancelRequested: (id) => inner.cancelRequested(id),
      prune: (o) => inner.prune(o),
      close: () => inner.close(),
      ...overrides,
    };
    return store;
  };
}

async function verdict(name: string, makeStore: () => EventStore): Promise<"passes" | "fails"> {
  const check = STORE_CONFORMANCE_CHECKS.find((c) => c.name.startsWith(name));
  if (check === undefined) throw new Error(`no check "${name}"`);
  const store = makeStore();
  try {
    await check.run(store, { makeStore, options: {} });
    return "passes";
  } catch {
    return "fails";
  } finally {
    await store.close?.();
  }
}

describe("the store checks catch broken stores", () => {
  it("a store that reorders a run's events fails the round trip", async () => {
    const reordering = broken((s) => ({ read: (id) => [...s.read(id)].reverse() }));
    expect(await verdict("read returns every appended event", reordering)).toBe("fails");
    expect(
      await verdict(
        "read returns every appended event",
        broken(() => ({})),
      ),
    ).toBe("passes");
  });

  it("a store that drops outputs fails the round trip and the fold check", async () => {
    const lossy = broken((s) => ({
      read: (id) => s.read(id).map((e) => ({ ...e, output: null }) as unknown as EchelonEvent),
    }));
    expect(await verdict("read returns every appended event", lossy)).toBe("fails");
    expect(await verdict("folding what is read", lossy)).toBe("fails");
  });

  it("a store that grants every claim fails the lease check", async () => {
    const lax = broken(() => ({
      claim: async (orchestrationId, owner, ttlMs): Promise<Lease> => ({
        orchestrationId,
        owner,
        expiresAtEpochMs: Date.now() + ttlMs,
      }),
    }));
    expect(await verdict("claim gives one owner the lease", lax)).toBe("fails");
  });

  it("a store whose prune removes running runs fails the prune check", async () => {
    const greedy = broken((s) => ({
      prune: async () => {
        const ids = [...s.list()];
        await s.prune({ keep: 0 });
        return ids.length;
      },
    }));
    expect(await verdict("prune by count", greedy)).toBe("fails");
  });

  it("a store that cancels finished runs fails the cancel check", async () => {
    const eager = broken(() => ({ requestCancel: async () => "requested" as const }));
    expect(await verdict("requestCancel flags a running run only", eager)).toBe("fails");
  });
});

describeStoreConformance(
  "journal-only memory store",
  () => {
    const inner = new MemoryEventStore();
    return {
      name: "journal-only",
      append: (e) => inner.append(e),
      read: (id) => inner.read(id),
      list: () => inner.list(),
    };
  },
  { presentMembersOnly: true },
);
