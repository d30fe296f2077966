import { resolve } from "node:path";
import {
  EchelonError,
  HierarchicalOrchestrator,
  type OrchestrationResult,
  scatterGatherPattern,
  sagaPattern,
} from "echelon";
import { type AuditWorkspace, auditAgents } from "./agents.js";
import { AuditErrorCode } from "./errors.js";
import { findInstalledPackages, isYarnPnp } from "./inventory.js";
import { removeTemp } from "./publish.js";
import { auditSpec } from "./spec.js";
import { tallyGather } from "./tally.js";

/** Options of {@link runDependencyAudit}. */
export interface AuditOptions {
  /** Project folder whose `node_modules` is audited. Default: the current directory. */
  readonly root?: string;
  /** Where the report is published. Default `./out` (relative to the current directory). */
  readonly outDir?: string;
  /** Audit at most this many packages (stable subset). Default: all. */
  readonly limit?: number;
  /** Package analysers running at once. Default 8. */
  readonly packageAgents?: number;
  /** Votes that make a package worth a human look. Default 2. */
  readonly minVotes?: number;
  /** Largest report file accepted by validation, bytes. Default 20 MB. */
  readonly maxReportBytes?: number;
  /** Told when a package is analysed and when a stage starts. */
  readonly onProgress?: (progress: AuditProgress) => void;
  /** Cancels the audit. */
  readonly signal?: AbortSignal;
}

/** A progress notification. */
export interface AuditProgress {
  /** `stage` when a stage starts, `package` when a package was analysed. */
  readonly kind: "stage" | "package";
  /** Stage id (analyse, group, review, render, publish). */
  readonly stage: string;
  readonly done: number;
  readonly total: number;
}

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
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new EchelonError(
      AuditErrorCode.INVALID_OPTIONS,
      `${name} must be a positive integer, got ${String(value)}.`,
      {
        details: { option: name },
      },
    );
  }
  return value;
}

/**
 * Audits the installed dependency tree: one real orchestration over every package in
 * `node_modules` (MapReduce), grouping, reviewer votes (Scatter-Gather), rendering (Pipeline)
 * and atomic publishing (Saga).
 *
 * @param options - folder, limits, progress
 * @returns the measured result and where the report is
 * @throws EchelonError `ECHELON_AUDIT_OPTIONS_INVALID`, `ECHELON_AUDIT_NOTHING_TO_AUDIT`
 */
export async function runDependencyAudit(options: AuditOptions = {}): Promise<AuditOutcome> {
  const root = resolve(options.root ?? process.cwd());
  const limit = options.limit === undefined ? undefined : positive("limit", options.limit, 1);
  const packageAgents = positive("packageAgents", options.packageAgents, 8);
  const minVotes = positive("minVotes", options.minVotes, 2);
  const packages = await findInstalledPackages(root, limit);
  if (packages.length === 0) {
    const pnp = await isYarnPnp(root);
    throw new EchelonError(
      AuditErrorCode.NOTHING_TO_AUDIT,
      pnp
        ? `${root} was installed with Yarn Plug'n'Play, which keeps packages in zip archives: there is no node_modules to audit. Install with \`nodeLinker: node-modules\` in .yarnrc.yml, then audit again.`
        : `No installed packages under ${root}/node_modules. Install the project's dependencies first, or pass --root <project folder>.`,
      { details: { root, yarnPnp: pnp } },
    );
  }
  const ws: AuditWorkspace = {
    outDir: resolve(options.outDir ?? "out"),
    maxReportBytes: positive("maxReportBytes", options.maxReportBytes, 20_000_000),
    generatedAt: new Date().toISOString(),
    unreadable: [],
  };
  const review = scatterGatherPattern();
  review.pattern.registerGatherStrategy("tally", tallyGather);
  const publish = sagaPattern({ compensationRetry: { attempts: 3, backoffMs: 50 } });
  publish.pattern.registerCompensationHandler("write-temp", (output) =>
    removeTemp((output as { tempDir: string }).tempDir),
  );
  const orchestrator = new HierarchicalOrchestrator({
    maxDepth: 2,
    maxAgentsPerLevel: [1, 4, packageAgents + 8],
    agents: auditAgents(ws, packageAgents),
    plugins: [review, publish],
  });
  let analysed = 0;
  const report = options.onProgress;
  const stages = new Set(["analyse", "group", "review", "render", "publish"]);
  orchestrator.events.on("task:started", (e) => {
    const stage = e.nodePath.split("/")[1];
    if (stage !== undefined && stages.has(stage) && e.nodePath.split("/").length === 2) {
      report?.({ kind: "stage", stage, done: analysed, total: packages.length });
    }
  });
  orchestrator.events.on("task:failed", (e) => {
    const at = /^dependency-audit\/analyse\/pkg-(\d+)$/.exec(e.nodePath);
    if (at === null) return;
    ws.unreadable.push({ dir: packages[Number(at[1])]!.dir, error: e.error.message });
    analysed++;
    report?.({ kind: "package", stage: "analyse", done: analysed, total: packages.length });
  });
  orchestrator.events.on("task:completed", (e) => {
    if (e.kind === "leaf" && e.nodePath.startsWith("dependency-audit/analyse/")) {
      analysed++;
      report?.({ kind: "package", stage: "analyse", done: analysed, total: packages.length });
    }
  });
  try {
    const result = await orchestrator.orchestrateComplexTask(auditSpec(packages, root, minVotes), {
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { result, reportDir: ws.reportDir ?? null, packages: packages.length, unreadable: ws.unreadable };
  } finally {
    await orchestrator.shutdown();
  }
}
