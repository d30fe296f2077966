/**
 * Writes the journal of a W1 run that "crashed" after all but its last leaf completed. Run as
 * a script (`node journal-template.js <path> <leaves>`) so that the process measuring a resume
 * has not run any of the code involved yet.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { SqliteEventStore } from "@echelon/store-sqlite";
import { createOrchestrator, functionAgent } from "echelon";
import { fanoutSpec } from "./journal.js";

/** Orchestration id of the crashed run. */
export const CRASHED_RUN_ID = "resume-bench";

/**
 * Runs W1 with `leaves` leaves in memory, then writes its events up to (not including) the last
 * leaf's completion, without the terminal event, to a new journal at `path`.
 *
 * @param path - the journal file to create
 * @param leaves - leaves of the run
 */
export async function writeCrashedJournal(path: string, leaves: number): Promise<void> {
  const full = new SqliteEventStore({ path: ":memory:", retention: false });
  const orchestrator = createOrchestrator({
    maxDepth: 1,
    maxAgentsPerLevel: [1, 100],
    agents: [functionAgent({ name: "noop" }, async (work) => work.input)],
    eventStore: full,
  });
  await orchestrator.orchestrateComplexTask(fanoutSpec(leaves), { orchestrationId: CRASHED_RUN_ID });
  await orchestrator.shutdown();
  const events = full.read(CRASHED_RUN_ID);
  await full.close();
  const last = events.findLastIndex((e) => e.type === "task:completed" && e.kind === "leaf");
  const journal = new SqliteEventStore({ path, retention: false });
  for (const e of events.slice(0, last))
    if (!e.type.startsWith("orchestration:") || e.type === "orchestration:started") journal.append(e);
  await journal.close();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeCrashedJournal(process.argv[2]!, Number(process.argv[3]));
}
