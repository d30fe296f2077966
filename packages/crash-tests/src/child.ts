import { writeFileSync } from "node:fs";
import { SqliteEventStore } from "@echelon/store-sqlite";
import { createOrchestrator, type OrchestrationResult } from "echelon";
import type { ChildConfig, ChildOutput } from "./child-config.js";
import { EffectsLedger } from "./effects-ledger.js";
import { harnessAgent } from "./harness-agent.js";
import { KillSwitchStore } from "./kill-switch-store.js";
import { planSpec } from "./plans.js";

/**
 * One process of the crash harness: runs (or resumes) a fixed plan on a real orchestrator from
 * `echelon` (its default pattern plugins) over an SQLite journal, and SIGKILLs itself at the
 * kill point given by the parent. Usage: `node dist/child.js '<ChildConfig as JSON>'`.
 */
async function main(config: ChildConfig): Promise<void> {
  const sqlite = new SqliteEventStore({
    path: config.db,
    retention: false,
    ...(config.batchSize !== undefined ? { batchSize: config.batchSize } : {}),
  });
  sqlite.open();
  const store = new KillSwitchStore(sqlite, config.kill ?? null, config.killNote ?? null);
  const ledger = new EffectsLedger(config.effects, config.attempts, config.phase, config.honourKeys ?? true);
  const orchestrator = createOrchestrator({
    maxDepth: 3,
    maxAgentsPerLevel: [2, 4, 8, 8],
    eventStore: store,
    cancelPollMs: config.cancelPollMs ?? 50,
    agents: [
      harnessAgent({
        ledger,
        phase: config.phase,
        cancel: (id) => orchestrator.cancelOrchestration(id),
        onWaiting: () => {
          if (config.waiting !== undefined) writeFileSync(config.waiting, "waiting");
        },
      }),
    ],
  });
  const task = planSpec(config.plan, config.leaves);
  let result: OrchestrationResult;
  if (config.phase === "run") {
    result = await orchestrator.orchestrateComplexTask(task, { orchestrationId: config.id });
  } else {
    if (config.journalBefore !== undefined)
      writeFileSync(config.journalBefore, JSON.stringify(sqlite.read(config.id)));
    // The task again: core checks that its plan hashes like the journaled one.
    result = await orchestrator.resume(config.id, { task });
  }
  await orchestrator.shutdown();
  await sqlite.commit();
  const { transactions, eventsWritten } = sqlite.stats();
  await sqlite.close();
  const output: ChildOutput = { result, stats: { transactions, eventsWritten } };
  writeFileSync(config.out, JSON.stringify(output));
}

main(JSON.parse(process.argv[2] ?? "{}") as ChildConfig).catch((error: unknown) => {
  process.stderr.write(
    `crash-harness child failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(2);
});
