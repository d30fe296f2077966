import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EventStore, functionAgent, MemoryEventStore } from "@echelon/core";
import { SqliteEventStore, type SynchronousMode } from "@echelon/store-sqlite";
import type { VariantFactory, Workload } from "../child/trial.js";
import { expectedSum, expectEqual, noopBody } from "./bodies.js";
import { planIteration, prepared } from "./echelon-setup.js";

/** The W1 task: `size` no-op leaves under one map-reduce `sum`. */
export function fanoutSpec(size: number) {
  return {
    id: "fanout",
    description: `${size} no-op leaves`,
    pattern: "mapreduce",
    patternOptions: { reducer: "sum" },
    children: Array.from({ length: size }, (_, i) => ({ id: `t${i}`, description: `task ${i}`, input: i })),
  };
}

/**
 * W1 with a journal: the run is timed until its last event is committed (`store.commit()`).
 * `sqlite` variants write to a new file per iteration and report the transactions (one fsync
 * each with `synchronous: "full"`) and the file's size after close.
 */
function journaled(kind: "memory" | SynchronousMode): VariantFactory {
  return async (size, options) => {
    const cap = typeof options.cap === "number" ? options.cap : 100;
    const agent = functionAgent({ name: "noop" }, (work) => noopBody(work.input as number));
    return async () => {
      const dir = kind === "memory" ? null : mkdtempSync(join(tmpdir(), "echelon-bench-journal-"));
      const path = dir === null ? null : join(dir, "journal.db");
      const store: EventStore =
        path === null
          ? new MemoryEventStore()
          : new SqliteEventStore({ path, synchronous: kind as SynchronousMode, retention: false });
      if (store instanceof SqliteEventStore) store.open();
      const options_ = { maxDepth: 1, maxAgentsPerLevel: [1, cap], agents: [agent], eventStore: store };
      const setup = await prepared("echelon", options_, fanoutSpec(size));
      const inner = planIteration(`journal/${kind}`, setup, (output) => {
        expectEqual(`journal/${kind}`, output, expectedSum(size));
        return undefined;
      });
      return {
        async run() {
          const result = await inner.run();
          await store.commit?.();
          return result;
        },
        async finish(output) {
          const figures = await inner.finish(output);
          if (!(store instanceof SqliteEventStore)) return figures;
          const { transactions, eventsWritten } = store.stats();
          await store.close();
          const dbBytes = statSync(path!).size;
          rmSync(dir!, { recursive: true, force: true });
          return {
            ...figures,
            transactions,
            eventsWritten,
            dbBytes,
            bytesPerLeaf: Math.round(dbBytes / size),
          };
        },
      };
    };
  };
}

/**
 * Journal cost on W1: `memory` (core's in-memory store, the default), `sqlite-normal` and
 * `sqlite-full` (`SqliteEventStore` with `synchronous` NORMAL or FULL). Option `cap` (default 100).
 */
export const journalWorkload: Workload = {
  name: "journal",
  variants: {
    memory: journaled("memory"),
    "sqlite-normal": journaled("normal"),
    "sqlite-full": journaled("full"),
  },
};
