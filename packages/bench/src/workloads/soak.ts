import { functionAgent, MemoryEventStore } from "@echelon/core";
import type { Trial, VariantFactory, Workload } from "../child/trial.js";
import { noopBody } from "./bodies.js";
import { expectSuccess, heapMb, makeOrchestrator } from "./echelon-setup.js";

const MAX = Number.MAX_SAFE_INTEGER;
const agent = functionAgent({ name: "noop" }, (work) => noopBody(work.input as number));

const rssMb = (): number => Math.round((process.memoryUsage().rss / 2 ** 20) * 10) / 10;

/**
 * One iteration = `runs` W1 orchestrations of `size` leaves (outputs collected in order), back
 * to back on one orchestrator, the live heap (after a collection, with `--expose-gc`) and the
 * RSS read after each. `keepAll` lifts the byte bounds, so only the count bounds apply (the
 * retention before byte bounds existed).
 */
function soak(keepAll: boolean): VariantFactory {
  return async (size, options): Promise<Trial> => {
    const runs = typeof options.runs === "number" ? options.runs : 8;
    const orchestrator = makeOrchestrator("echelon", {
      maxDepth: 1,
      maxAgentsPerLevel: [1, 100],
      agents: [agent],
      ...(keepAll ? { retainFinishedBytes: MAX, eventStore: new MemoryEventStore({ maxBytes: MAX }) } : {}),
    });
    const spec = {
      id: "soak",
      description: `${size} no-op leaves`,
      pattern: "mapreduce",
      patternOptions: { reducer: "concat" },
      children: Array.from({ length: size }, (_, i) => ({ id: `t${i}`, description: `task ${i}`, input: i })),
    };
    return async () => ({
      async run() {
        const heap: number[] = [];
        const rss: number[] = [];
        for (let i = 0; i < runs; i++) {
          expectSuccess("soak", await orchestrator.orchestrateComplexTask(spec));
          heap.push(heapMb() ?? Number.NaN);
          rss.push(rssMb());
        }
        return { heap, rss };
      },
      finish(output) {
        const { heap, rss } = output as { heap: number[]; rss: number[] };
        const first = heap[0]!;
        const last = heap[heap.length - 1]!;
        return {
          heapAfterFirstMb: first,
          heapAfterLastMb: last,
          heapGrowthPerRunMb: Math.round(((last - first) / Math.max(1, runs - 1)) * 10) / 10,
          rssAfterLastMb: rss[rss.length - 1]!,
          heapSeriesMb: heap.join(" "),
          retainedRuns: orchestrator.listOrchestrations().length,
        };
      },
    });
  };
}

/**
 * Soak — a long-lived orchestrator running W1 orchestrations back to back (option `runs`,
 * default 8): does the memory stay flat? `echelon` has the default retention (bounded in bytes
 * and by count); `echelon-keep-all` only the count bounds (100 journals, 1,000 statuses), as
 * before the byte bounds.
 */
export const soakWorkload: Workload = {
  name: "soak",
  variants: { echelon: soak(false), "echelon-keep-all": soak(true) },
};
