import { EchelonError } from "@echelon/core";
import {
  abortError,
  type Pattern,
  type PatternChild,
  type PatternOutcome,
  type RecommendContext,
} from "@echelon/core/plugin";
import { ScatterGatherErrorCode } from "./errors.js";
import {
  type GatherStrategy,
  gatherAll,
  gatherFirst,
  gatherMajority,
  gatherQuorum,
} from "./gather-strategies.js";
import {
  checkScatterGatherOptions,
  resolveScatterGatherOptions,
  type ScatterGatherOptions,
  DEFAULT_MAX_REPLICAS,
  type ResolvedScatterGatherOptions,
} from "./options.js";
import { type Respondent, scatter } from "./scatter.js";
import { canonicalJson, type VoteKeyFunction } from "./vote-key.js";

/** Options of the `register*` methods. */
export interface RegisterOptions {
  /** Replace an existing entry of the same name (built-ins included). Default false. */
  readonly override?: boolean;
}

declare module "@echelon/core" {
  /** Types `executor.patterns[OrchestrationPattern.SCATTER_GATHER]` as this package's pattern object. */
  interface PatternRegistry {
    /** The scatter-gather pattern, so `executor.patterns["scatter-gather"]` is typed as a {@link ScatterGatherPattern}. */
    "scatter-gather": ScatterGatherPattern;
  }
}

/** The scatter-gather pattern object: a {@link Pattern} that also carries its registries. */
export interface ScatterGatherPattern extends Pattern {
  readonly name: "scatter-gather";
  readonly ordering: "parallel";
  /**
   * Registers a gather strategy, usable as the `gather` option.
   *
   * @throws EchelonError `ECHELON_SCATTER_GATHER_DUPLICATE_REGISTRATION` when the name is taken;
   *   `ECHELON_SCATTER_GATHER_INVALID_OPTIONS` for an empty name or a non-function
   */
  registerGatherStrategy(name: string, strategy: GatherStrategy, options?: RegisterOptions): void;
  /**
   * Registers a vote key function, usable as the `voteKey` option of gather `majority`.
   *
   * @throws EchelonError `ECHELON_SCATTER_GATHER_DUPLICATE_REGISTRATION` when the name is taken;
   *   `ECHELON_SCATTER_GATHER_INVALID_OPTIONS` for an empty name or a non-function
   */
  registerVoteKey(name: string, key: VoteKeyFunction, options?: RegisterOptions): void;
  /** Names of every gather strategy available. */
  gatherStrategies(): string[];
}

function register<T>(
  registry: Map<string, T>,
  kind: string,
  name: string,
  value: T,
  options: RegisterOptions,
): void {
  if (typeof name !== "string" || name === "" || typeof value !== "function") {
    throw new EchelonError(
      ScatterGatherErrorCode.INVALID_OPTIONS,
      `register ${kind}: pass a non-empty name and a function.`,
      { details: { kind, name: String(name) } },
    );
  }
  if (registry.has(name) && options.override !== true) {
    throw new EchelonError(
      ScatterGatherErrorCode.DUPLICATE_REGISTRATION,
      `A ${kind} named "${name}" is already registered. Pick another name or pass { override: true }.`,
      { details: { kind, name } },
    );
  }
  registry.set(name, value);
}

function respondentsOf(children: readonly PatternChild[], replicas: number): Respondent[] {
  if (children.length === 0) {
    throw new EchelonError(
      ScatterGatherErrorCode.NO_RESPONDENTS,
      "scatter-gather: there are no children to scatter to. Give the node one child (broadcast) or several respondents.",
    );
  }
  const ids = new Set(children.map((c) => c.id));
  const dependent = children.find((c) => c.dependsOn.some((d) => ids.has(d)));
  if (dependent) {
    throw new EchelonError(
      ScatterGatherErrorCode.DEPENDENCIES_UNSUPPORTED,
      `scatter-gather: child "${dependent.id}" depends on a sibling, but respondents run independently. ` +
        `Remove the dependsOn or use the fork-join pattern.`,
      { details: { child: dependent.id, dependsOn: [...dependent.dependsOn] } },
    );
  }
  if (children.length > 1) return children.map((child) => ({ id: child.id, child }));
  const child = children[0]!;
  return Array.from({ length: replicas }, (_, i) => ({
    id: `${child.id}#replica-${i + 1}`,
    child,
    invocation: `replica-${i + 1}`,
  }));
}

/**
 * Creates the scatter-gather pattern: one child is broadcast to N replicas (or several
 * children each answer once), answers are gathered by a strategy (`all`, `first`, `quorum`,
 * `majority` or a registered one), stragglers are aborted once the strategy is satisfied or
 * the deadline passes.
 *
 * @param defaults - default options; a node's `patternOptions` override them
 * @returns the pattern object
 * @throws EchelonError `ECHELON_SCATTER_GATHER_INVALID_OPTIONS` for bad defaults
 * @example
 * ```ts
 * const sg = createScatterGatherPattern({ gather: "majority", replicas: 5 });
 * sg.registerVoteKey("verdict", (answer) => String((answer as { verdict: string }).verdict));
 * await runPatternOnSlices(sg, [question], agents, { options: { voteKey: "verdict", deadlineMs: 2_000 } });
 * ```
 */
export function createScatterGatherPattern(defaults: ScatterGatherOptions = {}): ScatterGatherPattern {
  checkScatterGatherOptions(defaults as Readonly<Record<string, unknown>>);
  const strategies = new Map<string, GatherStrategy>([
    ["all", gatherAll],
    ["first", gatherFirst],
    ["quorum", gatherQuorum],
    ["majority", gatherMajority],
  ]);
  const voteKeys = new Map<string, VoteKeyFunction>();

  const lookUp = (settings: ResolvedScatterGatherOptions) => {
    const strategy = strategies.get(settings.gather);
    if (!strategy) {
      throw new EchelonError(
        ScatterGatherErrorCode.UNKNOWN_STRATEGY,
        `scatter-gather: unknown gather strategy "${settings.gather}". Use one of ${[...strategies.keys()].join(", ")} or register it with registerGatherStrategy().`,
        { details: { gather: settings.gather, available: [...strategies.keys()] } },
      );
    }
    const voteKey = settings.voteKey === null ? undefined : voteKeys.get(settings.voteKey);
    if (settings.voteKey !== null && !voteKey) {
      throw new EchelonError(
        ScatterGatherErrorCode.UNKNOWN_VOTE_KEY,
        `scatter-gather: unknown vote key "${settings.voteKey}". Register it with registerVoteKey() first.`,
        { details: { voteKey: settings.voteKey, available: [...voteKeys.keys()] } },
      );
    }
    return { strategy, voteKey };
  };

  return {
    name: "scatter-gather",
    ordering: "parallel",
    registerGatherStrategy: (name, strategy, options = {}) =>
      register(strategies, "gather strategy", name, strategy, options),
    registerVoteKey: (name, key, options = {}) => register(voteKeys, "vote key", name, key, options),
    gatherStrategies: () => [...strategies.keys()],

    checkOptions(options, children) {
      const settings = resolveScatterGatherOptions(defaults, options, DEFAULT_MAX_REPLICAS);
      lookUp(settings);
      respondentsOf(children, settings.replicas);
    },

    async execute(children, ctx): Promise<PatternOutcome> {
      const settings = resolveScatterGatherOptions(defaults, ctx.options, ctx.concurrency);
      const { strategy, voteKey } = lookUp(settings);
      const respondents = respondentsOf(children, settings.replicas);
      if (ctx.signal.aborted) throw abortError(ctx.signal, "The scatter-gather");
      const run = await scatter(respondents, ctx, {
        strategy,
        deadlineMs: settings.deadlineMs,
        quorum: settings.quorum,
        key: voteKey ? (output) => String(voteKey(output)) : canonicalJson,
      });
      if (run.decision === null) throw abortError(ctx.signal, "The scatter-gather");
      if ("error" in run.decision) throw run.decision.error;
      const decided = run.decision.ok;
      const responded = run.answers.map((a) => a.respondent);
      ctx.emit("scatter-gather:gathered", {
        gather: settings.gather,
        status: decided.status ?? "completed",
        responded,
        failed: run.failures.map((f) => f.respondent),
        deadlineHit: run.deadlineHit,
      });
      return {
        result: {
          value: decided.value,
          answers: run.answers.map((a) => ({ respondent: a.respondent, output: a.output ?? null })),
          responded,
        },
        status: decided.status ?? "completed",
        details: {
          gather: settings.gather,
          ...(children.length === 1 ? { replicas: respondents.length } : {}),
          respondents: respondents.map((r) => r.id),
          responded,
          failed: run.failures.map((f) => f.respondent),
          aborted: run.aborted,
          deadlineMs: settings.deadlineMs,
          deadlineHit: run.deadlineHit,
          ...decided.details,
        },
      };
    },

    recommend(children: readonly PatternChild[], context?: RecommendContext): number {
      // Several answers to one question need several agents to give them.
      if (children.length === 0 || (context !== undefined && context.agentCount < 2)) return 0;
      const ids = new Set(children.map((c) => c.id));
      if (children.some((c) => c.dependsOn.some((d) => ids.has(d)))) return 0;
      if (children.length === 1) return 0.8;
      const first = children[0]!;
      const key = canonicalJson(first.input ?? null);
      // Several children asked the very same thing (their inputs are equal): answers to compare.
      const same = children.every((c) => canonicalJson(c.input ?? null) === key);
      return same ? 0.75 : 0;
    },
  };
}
