import type { EventStore } from "@echelon/core";
import { describe, expect, it } from "vitest";
import {
  STORE_JOURNAL_CHECKS,
  type StoreConformanceCheck,
  type StoreConformanceOptions,
} from "./store-checks.js";
import { STORE_COORDINATION_CHECKS } from "./store-coordination-checks.js";

/** Every check of the store contract, journal first. */
export const STORE_CONFORMANCE_CHECKS: readonly StoreConformanceCheck[] = [
  ...STORE_JOURNAL_CHECKS,
  ...STORE_COORDINATION_CHECKS,
];

/**
 * Declares a vitest suite with the contract every `EventStore` must meet (Mastra's
 * `createTestSuite(storage)`, LangGraph's checkpointer suites): append/read round trips with
 * deep equality and order (including a real orchestration's events), the run-state fold of what
 * is read, list, commit, summaries, leases (claim, renew, refuse, expire, release), cancel
 * requests, prune rules and close. Each check gets a fresh store from `makeStore` and closes it.
 *
 * @param name - the store's name, in the suite title
 * @param makeStore - makes a fresh, empty store
 * @param options - `reopen` for durable stores; `presentMembersOnly` for journal-only stores
 * @example
 * ```ts
 * import { MemoryEventStore } from "@echelon/core";
 * import { describeStoreConformance } from "@echelon/testing";
 *
 * describeStoreConformance("memory", () => new MemoryEventStore());
 * ```
 */
export function describeStoreConformance(
  name: string,
  makeStore: () => EventStore | Promise<EventStore>,
  options: StoreConformanceOptions = {},
): void {
  describe(`store conformance: ${name}`, () => {
    for (const check of STORE_CONFORMANCE_CHECKS) {
      it(check.name, async (context) => {
        const store = await makeStore();
        try {
          const missing = check.members.filter((m) => typeof store[m] !== "function");
          if (missing.length > 0) {
            if (options.presentMembersOnly) {
              context.skip();
              return;
            }
            expect.fail(
              `the store lacks ${missing.join(", ")} (pass { presentMembersOnly: true } for a journal-only store)`,
            );
          }
          await check.run(store, { makeStore, options });
        } finally {
          await store.close?.();
        }
      });
    }
  });
}
