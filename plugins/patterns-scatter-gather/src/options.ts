import { EchelonError } from "@echelon/core";
import { ScatterGatherErrorCode } from "./errors.js";

/** Replicas used when broadcasting one child and no `replicas` option is set: at most this many. */
export const DEFAULT_MAX_REPLICAS = 5;

/** Most replicas one broadcast may ask for (each is a task with its own status entry). */
export const MAX_REPLICAS = 10_000;

/** Longest deadline, ms: the longest timer Node can arm (2^31 − 1 ms, about 24.8 days). */
export const MAX_DEADLINE_MS = 2_147_483_647;

/**
 * Options of the scatter-gather pattern: defaults given to the factory, overridden per node
 * by the node's `patternOptions` (or the executor call's options).
 */
export interface ScatterGatherOptions {
  /** Gather strategy: `all` (default), `first`, `quorum`, `majority` or a registered name. */
  readonly gather?: string;
  /** With one child: how many replicas to broadcast it to (1 to 10,000). Default `min(ctx.concurrency, 5)`. */
  readonly replicas?: number;
  /** Stop waiting after this many milliseconds (at most 2^31 − 1): stragglers are aborted, what arrived is gathered. */
  readonly deadlineMs?: number;
  /** Gather `quorum`: answers needed (k). Default a strict majority of the respondents. */
  readonly quorum?: number;
  /** Gather `majority`: name of a key function registered with `registerVoteKey`. Default: JSON equality. */
  readonly voteKey?: string;
}

/** Options after merging and validation. */
export interface ResolvedScatterGatherOptions {
  readonly gather: string;
  readonly replicas: number;
  readonly deadlineMs: number | null;
  readonly quorum: number | null;
  readonly voteKey: string | null;
}

function invalid(option: string, value: unknown, what: string): EchelonError {
  return new EchelonError(
    ScatterGatherErrorCode.INVALID_OPTIONS,
    `scatter-gather: "${option}" must be ${what}, got ${String(value)}.`,
    { details: { option, value: String(value) } },
  );
}

const isPositiveInteger = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 1;

/**
 * Validates options given to the factory (defaults) or to a node.
 *
 * @throws EchelonError `ECHELON_SCATTER_GATHER_INVALID_OPTIONS`
 */
export function checkScatterGatherOptions(options: Readonly<Record<string, unknown>>): void {
  const { gather, replicas, deadlineMs, quorum, voteKey } = options;
  if (gather !== undefined && (typeof gather !== "string" || gather === "")) {
    throw invalid("gather", gather, "a non-empty strategy name");
  }
  if (replicas !== undefined && !(isPositiveInteger(replicas) && replicas <= MAX_REPLICAS))
    throw invalid("replicas", replicas, `an integer from 1 to ${MAX_REPLICAS}`);
  if (
    deadlineMs !== undefined &&
    (typeof deadlineMs !== "number" ||
      !Number.isFinite(deadlineMs) ||
      deadlineMs <= 0 ||
      deadlineMs > MAX_DEADLINE_MS)
  ) {
    throw invalid("deadlineMs", deadlineMs, `a positive number of milliseconds, at most ${MAX_DEADLINE_MS}`);
  }
  if (quorum !== undefined && !isPositiveInteger(quorum))
    throw invalid("quorum", quorum, "a positive integer");
  if (voteKey !== undefined && (typeof voteKey !== "string" || voteKey === "")) {
    throw invalid("voteKey", voteKey, "the name of a registered vote key");
  }
}

/**
 * Merges factory defaults and node options.
 *
 * @throws EchelonError `ECHELON_SCATTER_GATHER_INVALID_OPTIONS`
 */
export function resolveScatterGatherOptions(
  defaults: ScatterGatherOptions,
  nodeOptions: Readonly<Record<string, unknown>>,
  concurrency: number,
): ResolvedScatterGatherOptions {
  checkScatterGatherOptions(nodeOptions);
  const merged = { ...defaults, ...nodeOptions } as ScatterGatherOptions;
  const slots =
    Number.isFinite(concurrency) && concurrency >= 1 ? Math.floor(concurrency) : DEFAULT_MAX_REPLICAS;
  return {
    gather: merged.gather ?? "all",
    replicas: merged.replicas ?? Math.min(slots, DEFAULT_MAX_REPLICAS),
    deadlineMs: merged.deadlineMs ?? null,
    quorum: merged.quorum ?? null,
    voteKey: merged.voteKey ?? null,
  };
}
