// A namespace import (not `{ z }`) lets the bundler drop the parts of zod core never uses (locales, JSON Schema).
import * as z from "zod";
import type { Agent, AgentType } from "../agents/agent.js";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { RetryPolicy } from "../model/task.js";
import type { EchelonPlugin } from "../plugins/plugin.js";
import type { EventStore } from "../store/event-store.js";
import { MAX_RETAINED_BYTES } from "../util/estimate-bytes.js";
import type { Logger } from "../util/logger.js";

/** Options of {@link HierarchicalOrchestrator}. */
export interface HierarchicalOrchestratorOptions {
  /** Deepest node depth (root = 0); the hierarchy has `maxDepth + 1` levels. Default 2 (primary, secondary, tertiary). */
  readonly maxDepth?: number;
  /**
   * Cap on live agents per level: one number for every level, an array by level index (the
   * last value repeats for deeper levels), or a record by level name. Default `[4, 32, 256]`.
   */
  readonly maxAgentsPerLevel?: number | readonly number[] | Readonly<Record<string, number>>;
  /** Agent types (from `functionAgent`, `workerAgent`, …) or ready agents the hierarchy may use. */
  readonly agents?: readonly (AgentType | Agent)[];
  /** Plugins: patterns, strategies, decomposer, agent types, stores. */
  readonly plugins?: readonly EchelonPlugin[];
  /** Name of the default distribution strategy. Default: the first registered, else core's least-loaded fallback. */
  readonly strategy?: string;
  /** Event journal; `null` keeps none. Default: the `EVENT_STORE` binding, else an in-memory store. */
  readonly eventStore?: EventStore | null;
  /** Logger. Default: the `LOGGER` binding, else silent. */
  readonly logger?: Logger;
  /** Composite nodes one coordinator agent holds at once. Default 16. */
  readonly coordinatorCapacity?: number;
  /** Per-attempt timeout for leaves without their own, ms (at most 2^31 − 1). Default none. */
  readonly defaultTimeoutMs?: number;
  /** Retry policy for leaves without their own (attempts ≤ 1,000, delays ≤ 2^31 − 1 ms). Default one attempt. */
  readonly defaultRetry?: RetryPolicy;
  /**
   * How long an aborted agent may take to settle before it is retired as unresponsive, ms
   * (0 to 2^31 − 1). Its slot still counts against the level cap until its work settles.
   * Also the longest wait for an agent's `dispose` on shutdown. Default 1000.
   */
  readonly abortGraceMs?: number;
  /** Finished orchestrations whose status stays queryable (0 to 1,000,000). Default 1000. */
  readonly retainFinished?: number;
  /**
   * Estimated bytes of heap the finished orchestrations kept for status look-ups may hold
   * together: task records, plan, result and outputs (an integer, 0 to 2^53 − 1). The oldest
   * finished ones are forgotten beyond it, running ones never; one larger than the bound by
   * itself is forgotten as soon as it ends (its result was returned to the caller). Applies
   * together with `retainFinished`. Default {@link DEFAULT_RETAIN_FINISHED_BYTES} (32 MiB).
   */
  readonly retainFinishedBytes?: number;
  /** Id written into the leases of the runs this orchestrator executes. Default `<host>:<pid>:<random>`. */
  readonly ownerId?: string;
  /** How long a run's lease lasts without renewal, ms (1,000 to 3,600,000); renewed every third of it. Default 30,000. */
  readonly leaseTtlMs?: number;
  /** How often the store is asked for cancel requests from other processes, ms (10 to 1,000). Default 500. */
  readonly cancelPollMs?: number;
  /**
   * Bounds on plans that grow while they run (`expand`): `maxChildren` per expansion (1 to
   * 100,000; default 1,000) and `maxTasks` added per run (1 to 10,000,000; default 100,000).
   */
  readonly expansion?: {
    /** Most children one expansion may make (1 to 100,000; default 1,000). */
    readonly maxChildren?: number;
    /** Most tasks all expansions of one run may add (1 to 10,000,000; default 100,000). */
    readonly maxTasks?: number;
  };
}

/** Defaults of {@link HierarchicalOrchestratorOptions}. */
export const DEFAULT_MAX_AGENTS_PER_LEVEL: readonly number[] = [4, 32, 256];

/** Default of `retainFinishedBytes`: 32 MiB of finished orchestrations kept for status look-ups. */
export const DEFAULT_RETAIN_FINISHED_BYTES = 32 * 2 ** 20;

/** Largest count any option takes (agents per level, capacity, retained runs): far beyond any real use, far below memory limits. */
export const MAX_COUNT = 1_000_000;
/** Longest timer Node can arm (2^31 − 1 ms, about 24.8 days); longer values would fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;
/** Most attempts of a retry policy. */
export const MAX_ATTEMPTS = 1000;

/**
 * Builds the options schema. Called once, by the first orchestrator: building it at import would
 * cost every `import` of core a few milliseconds.
 */
function buildOptionsSchema() {
  const count = z.number().int().positive().max(MAX_COUNT);
  const delayMs = z.number().min(0).max(MAX_TIMER_MS);
  // A retry policy's options, with their bounds.
  const retryPolicySchema = z
    .object({
      attempts: z.number().int().min(1).max(MAX_ATTEMPTS).optional(),
      backoffMs: delayMs.optional(),
      factor: z.number().min(1).max(1000).optional(),
      maxBackoffMs: delayMs.optional(),
    })
    .strict();
  return z
    .object({
      maxDepth: z.number().int().min(0).max(64).optional(),
      maxAgentsPerLevel: z.union([count, z.array(count).min(1), z.record(z.string(), count)]).optional(),
      agents: z.array(z.unknown()).optional(),
      plugins: z.array(z.unknown()).optional(),
      strategy: z.string().min(1).optional(),
      eventStore: z.unknown().optional(),
      logger: z.unknown().optional(),
      coordinatorCapacity: count.optional(),
      defaultTimeoutMs: z.number().positive().max(MAX_TIMER_MS).optional(),
      defaultRetry: retryPolicySchema.optional(),
      abortGraceMs: delayMs.optional(),
      retainFinished: z.number().int().min(0).max(MAX_COUNT).optional(),
      retainFinishedBytes: z.number().int().min(0).max(MAX_RETAINED_BYTES).optional(),
      ownerId: z.string().min(1).max(200).optional(),
      leaseTtlMs: z.number().int().min(1000).max(3_600_000).optional(),
      cancelPollMs: z.number().int().min(10).max(1000).optional(),
      expansion: z
        .object({
          maxChildren: z.number().int().min(1).max(100_000).optional(),
          maxTasks: z.number().int().min(1).max(10_000_000).optional(),
        })
        .strict()
        .optional(),
    })
    .strict();
}

let optionsSchema: ReturnType<typeof buildOptionsSchema> | undefined;

/**
 * Checks orchestrator options.
 *
 * @throws EchelonError `ECHELON_CONFIG_INVALID` listing every problem with its option path
 */
export function checkOrchestratorOptions(options: HierarchicalOrchestratorOptions): void {
  optionsSchema ??= buildOptionsSchema();
  const parsed = optionsSchema.safeParse(options);
  if (parsed.success) return;
  const issues = parsed.error.issues.map((i) => ({
    path: i.path
      .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
      .join("")
      .replace(/^\./, ""),
    message: i.message,
  }));
  throw new EchelonError(
    CoreErrorCode.CONFIG_INVALID,
    `Invalid orchestrator options:\n${issues.map((i) => `  ${i.path || "(options)"}: ${i.message}`).join("\n")}`,
    { details: { issues } },
  );
}

/**
 * The cap of every level.
 *
 * @param levels - level names
 * @param setting - the `maxAgentsPerLevel` option
 * @returns one cap per level
 * @throws EchelonError `ECHELON_CONFIG_INVALID` for a record naming an unknown level
 */
export function resolveCaps(
  levels: readonly string[],
  setting: HierarchicalOrchestratorOptions["maxAgentsPerLevel"],
): number[] {
  if (typeof setting === "number") return levels.map(() => setting);
  if (setting === undefined || Array.isArray(setting)) {
    const list = (setting as readonly number[] | undefined) ?? DEFAULT_MAX_AGENTS_PER_LEVEL;
    return levels.map((_, i) => list[Math.min(i, list.length - 1)]!);
  }
  const record = setting as Readonly<Record<string, number>>;
  for (const name of Object.keys(record)) {
    if (!levels.includes(name)) {
      throw new EchelonError(
        CoreErrorCode.CONFIG_INVALID,
        `maxAgentsPerLevel names level "${name}", which does not exist. Levels: ${levels.join(", ")}.`,
        { details: { level: name, levels } },
      );
    }
  }
  return levels.map((name, i) => record[name] ?? DEFAULT_MAX_AGENTS_PER_LEVEL[Math.min(i, 2)]!);
}
