import {
  createOrchestrator,
  type OrchestrationResult,
  pipelinePattern,
  sagaPattern,
  scatterGatherPattern,
} from "echelon";
import { SqliteEventStore } from "@echelon/store-sqlite";
import { type AuditWorkspace, auditAgents, groupStage } from "./agents.js";
import { type AuditOptions, resolveAuditOptions } from "./audit-options.js";
import type { PolicyReport } from "./licence-policy.js";
import { createProgressTracker } from "./progress.js";
import { type RemoteAnalysers, startRemoteAnalysers } from "./remote-analysers.js";
import { removeTemp } from "./publish.js";
import { auditSpec } from "./spec.js";
import { tallyGather } from "./tally.js";

export type { AuditOptions, AuditProgress } from "./audit-options.js";

/** What {@link runDependencyAudit} returns. */
export interface AuditOutcome {
  /** The orchestration's measured result. */
  readonly result: OrchestrationResult;
  /** The published folder (`null` when publishing did not complete). */
  readonly reportDir: string | null;
  /** Packages found (analysed or not). */
  readonly packages: number;
  /** Packages whose analysis failed, with the reason; they are listed in the report. */
  readonly unreadable: ReadonlyArray<{ readonly dir: string; readonly error: string }>;
  /** The licence policy's findings, or `null` when no policy was given (or the review did not run). */
  readonly policy: PolicyReport | null;
  /** Worker threads of the package analysers (0 = in-process). */
  readonly workers: number;
  /** Worker-host processes of the package analysers over Redis (0 = none). */
  readonly workerHosts: number;
  /** The journal the run was recorded in (absolute path), or `null` when it ran without one. */
  readonly journal: string | null;
}

/**
 * Audits the installed dependency tree: one real orchestration that first discovers the
 * packages in `node_modules` (an agent walks it), then fans out over what it found (MapReduce,
 * one task per package, added to the plan when the stage is reached), groups, has reviewers vote
 * and applies the licence policy (Scatter-Gather), renders (Pipeline) and publishes atomically
 * (Saga).
 *
 * The tertiary level's cap is the number of threads the package analysers really have (1
 * in-process, else `workers` threads or `workerHosts` processes), so the orchestrator's lower
 * bound — and with it the coordination overhead — counts the parallelism the work can actually
 * use. With `workerHosts`, the hosts are started here and stopped at the end, with a local
 * Redis unless `redis` names one.
 *
 * @param options - folder, limits, policy, progress
 * @returns the measured result, where the report is and the policy's findings
 * @throws EchelonError `ECHELON_AUDIT_OPTIONS_INVALID`, `ECHELON_AUDIT_NOTHING_TO_AUDIT` (found by the
 *   discovery step: the run fails, and the audit throws its reason),
 *   `ECHELON_TRANSPORT_REDIS_NOT_INSTALLED` / `ECHELON_TRANSPORT_REDIS_UNAVAILABLE` (worker hosts without Redis)
 */
export async function runDependencyAudit(options: AuditOptions = {}): Promise<AuditOutcome> {
  const opts = resolveAuditOptions(options);
  const ws: AuditWorkspace = {
    outDir: opts.outDir,
    maxReportBytes: opts.maxReportBytes,
    generatedAt: new Date().toISOString(),
    workers: opts.workers,
    workerHosts: opts.workerHosts,
    licencePolicy: opts.licencePolicy,
    unreadable: [],
  };
  const progress = createProgressTracker(() => ws.packages?.length ?? 0, {
    progress: options.onProgress,
    unreadable: (index, error) => ws.unreadable.push({ dir: ws.packages![index]!.dir, error }),
  });
  const group = groupStage(ws);
  const pipeline = pipelinePattern({
    processors: {
      group: (input) => {
        progress.stageStarted("group");
        return group(input);
      },
    },
  });
  const review = scatterGatherPattern();
  review.pattern.registerGatherStrategy("tally", tallyGather);
  const publish = sagaPattern({ compensationRetry: { attempts: 3, backoffMs: 50 } });
  publish.pattern.registerCompensationHandler("write-temp", (output) =>
    removeTemp((output as { tempDir: string }).tempDir),
  );
  const remote: RemoteAnalysers | null =
    opts.workerHosts > 0 ? await startRemoteAnalysers(opts.workerHosts, opts.redis) : null;
  const journal = opts.journal === null ? null : new SqliteEventStore({ path: opts.journal });
  const orchestrator = createOrchestrator({
    ...(journal !== null ? { eventStore: journal } : {}),
    maxDepth: 2,
    maxAgentsPerLevel: [1, 4, Math.max(1, opts.workers, opts.workerHosts)],
    // The analyse stage makes one task per package found: room for the largest trees.
    expansion: { maxChildren: 100_000 },
    agents: auditAgents(ws, remote?.agentType),
    plugins: [pipeline, review, publish],
  });
  progress.listen(orchestrator.events);
  try {
    const spec = auditSpec(
      { root: opts.root, ...(opts.limit !== undefined ? { limit: opts.limit } : {}) },
      opts.minVotes,
    );
    const result = await orchestrator.orchestrateComplexTask(spec, {
      ...(options.signal ? { signal: options.signal } : {}),
    });
    // Nothing installed is bad input, as it was when the list was made before the plan.
    if (ws.nothingToAudit !== undefined) throw ws.nothingToAudit;
    return {
      result,
      reportDir: ws.reportDir ?? null,
      packages: ws.packages?.length ?? 0,
      unreadable: ws.unreadable,
      policy: ws.policy ?? null,
      workers: opts.workers,
      workerHosts: opts.workerHosts,
      journal: opts.journal,
    };
  } finally {
    await orchestrator.shutdown();
    await journal?.close();
    await remote?.close();
  }
}
