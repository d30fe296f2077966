import { EchelonError, type EchelonErrorJson } from "@echelon/core";
import type { PatternStatus } from "@echelon/core/plugin";
import { ScatterGatherErrorCode } from "./errors.js";

/** One answer that arrived. */
export interface GatherAnswer {
  /** Who answered: the child id, or `<childId>#replica-<i>` for a broadcast. */
  readonly respondent: string;
  /** The answer (JSON). */
  readonly output: unknown;
  /** How long the respondent took, in milliseconds. */
  readonly durationMs: number;
}

/** One respondent that failed. */
export interface GatherFailure {
  /** Who failed: the child id, or `<childId>#replica-<i>`. */
  readonly respondent: string;
  /** Its failure, as JSON. */
  readonly error: EchelonErrorJson;
}

/** What a gather strategy sees each time something arrives (and once more when nothing more will). */
export interface GatherState {
  /** Every respondent, in scatter order. */
  readonly respondents: readonly string[];
  /** Answers so far, in arrival order. */
  readonly answers: readonly GatherAnswer[];
  /** Failures so far, in arrival order. */
  readonly failures: readonly GatherFailure[];
  /** Respondents still running. */
  readonly pending: number;
  /** True when nothing more will arrive (all settled, or the deadline passed): the strategy must decide. */
  readonly final: boolean;
  /** True when the deadline passed. */
  readonly deadlineHit: boolean;
  /** The `quorum` option, or `null`. */
  readonly quorum: number | null;
  /** The vote key in force (registered `voteKey`, or canonical JSON). */
  readonly key: (output: unknown) => string;
  /** The first respondent failure, to wrap as `cause`. */
  readonly firstError: Error | null;
  /** The node's pattern options (a custom strategy may read its own settings there). */
  readonly options: Readonly<Record<string, unknown>>;
}

/** What a strategy decides: the gathered value and, optionally, a status and details. */
export interface GatherDecision {
  /** The gathered value (JSON); becomes `result.value`. */
  readonly value: unknown;
  /** `partial` when the value is built from fewer answers than asked for. Default `completed`. */
  readonly status?: PatternStatus;
  /** Facts merged into the pattern's details (JSON). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * A gather strategy: called after every arrival; return a decision once satisfied (the
 * remaining respondents are then aborted) or `undefined` to keep waiting. When
 * `state.final` is true it must decide or throw an `EchelonError`.
 */
export type GatherStrategy = (state: GatherState) => GatherDecision | undefined;

/** What arrived, for error details: nothing already completed is lost. */
export function arrived(state: GatherState): Record<string, unknown> {
  return {
    answers: state.answers.map((a) => ({ respondent: a.respondent, output: a.output ?? null })),
    failed: state.failures.map((f) => f.respondent),
    deadlineHit: state.deadlineHit,
  };
}

function noResponse(state: GatherState): EchelonError {
  return new EchelonError(
    ScatterGatherErrorCode.NO_RESPONSE,
    `scatter-gather: none of ${state.respondents.length} respondent(s) answered` +
      `${state.deadlineHit ? " before the deadline" : ""}. Check the respondents' errors, or raise deadlineMs.`,
    { cause: state.firstError ?? undefined, details: arrived(state) },
  );
}

/** Gather `all`: waits for every respondent; `partial` when some failed or missed the deadline. */
export const gatherAll: GatherStrategy = (state) => {
  if (!state.final) return undefined;
  if (state.answers.length === 0) throw noResponse(state);
  const order = new Map(state.respondents.map((r, i) => [r, i]));
  const sorted = [...state.answers].sort((a, b) => order.get(a.respondent)! - order.get(b.respondent)!);
  return {
    value: sorted.map((a) => a.output ?? null),
    status: state.answers.length === state.respondents.length ? "completed" : "partial",
  };
};

/** Gather `first`: the first answer wins; the others are aborted. */
export const gatherFirst: GatherStrategy = (state) => {
  const first = state.answers[0];
  if (first) return { value: first.output ?? null, details: { winner: first.respondent } };
  if (state.final) throw noResponse(state);
  return undefined;
};

/** Gather `quorum`: done once k answers arrived (value: those k answers); fails once k is out of reach. */
export const gatherQuorum: GatherStrategy = (state) => {
  const n = state.respondents.length;
  const k = state.quorum ?? Math.floor(n / 2) + 1;
  if (k > n) {
    throw new EchelonError(
      ScatterGatherErrorCode.INVALID_OPTIONS,
      `scatter-gather: quorum ${k} exceeds the ${n} respondent(s). Lower "quorum" or add replicas.`,
      { details: { option: "quorum", value: String(k), respondents: n } },
    );
  }
  if (state.answers.length >= k) {
    return { value: state.answers.slice(0, k).map((a) => a.output ?? null), details: { quorum: k } };
  }
  if (state.final || state.answers.length + state.pending < k) {
    throw new EchelonError(
      ScatterGatherErrorCode.QUORUM_NOT_REACHED,
      `scatter-gather: quorum of ${k} not reached (${state.answers.length} answered, ${state.failures.length} failed` +
        `${state.deadlineHit ? ", deadline passed" : ""}). Lower "quorum", add replicas or raise deadlineMs.`,
      { cause: state.firstError ?? undefined, details: { quorum: k, ...arrived(state) } },
    );
  }
  return undefined;
};

/** Gather `majority`: the answer given by more than half of all respondents (by vote key) wins. */
export const gatherMajority: GatherStrategy = (state) => {
  const n = state.respondents.length;
  const needed = Math.floor(n / 2) + 1;
  const votes = new Map<string, { count: number; first: GatherAnswer }>();
  for (const answer of state.answers) {
    const key = state.key(answer.output);
    const entry = votes.get(key);
    if (entry) entry.count++;
    else votes.set(key, { count: 1, first: answer });
  }
  let best: { key: string; count: number; first: GatherAnswer } | undefined;
  for (const [key, entry] of votes) if (!best || entry.count > best.count) best = { key, ...entry };
  const tally = Object.fromEntries([...votes].map(([key, e]) => [key, e.count]));
  if (best && best.count >= needed) {
    return { value: best.first.output ?? null, details: { votes: tally, winningKey: best.key, needed } };
  }
  if (state.final || (best?.count ?? 0) + state.pending < needed) {
    throw new EchelonError(
      ScatterGatherErrorCode.NO_MAJORITY,
      `scatter-gather: no answer reached a majority (${needed} of ${n} votes needed). ` +
        `Add replicas, choose a coarser voteKey, or use gather "quorum".`,
      { cause: state.firstError ?? undefined, details: { votes: tally, needed, ...arrived(state) } },
    );
  }
  return undefined;
};
