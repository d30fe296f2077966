import type { TaskSpec } from "@echelon/core";
import type { Outline } from "./outline.js";
import { AGGREGATION, EACH, PARALLEL, TRANSACTIONAL_NOUN, TRANSACTIONAL_VERB } from "./text/lexicon.js";

/** The pattern names the heuristic rules use. */
export type HeuristicPattern = "mapreduce" | "pipeline" | "fork-join" | "scatter-gather" | "saga";

/** A pattern resolved against the registered ones. @internal */
export interface PatternChoice {
  readonly pattern: string;
  /** Children must be chained with `dependsOn` to keep their order. */
  readonly chain: boolean;
  /** Children get compensating steps. */
  readonly compensate: boolean;
}

const ORDERED_FALLBACKS: Readonly<Record<string, readonly string[]>> = {
  pipeline: ["pipeline", "saga", "fork-join"],
  saga: ["saga", "pipeline", "fork-join"],
};
const UNORDERED_FALLBACKS: Readonly<Record<string, readonly string[]>> = {
  "fork-join": ["fork-join", "mapreduce", "scatter-gather", "saga"],
  mapreduce: ["mapreduce", "fork-join", "scatter-gather", "saga"],
  "scatter-gather": ["scatter-gather", "fork-join", "mapreduce", "saga"],
};

/**
 * The pattern the rules prefer for a composite outline node (before registration is checked).
 *
 * @internal
 */
export function preferredPattern(outline: Outline): HeuristicPattern {
  if (outline.kind === "consensus") return "scatter-gather";
  if (outline.kind === "quantity") return outline.quantity.vague ? "fork-join" : "mapreduce";
  if (outline.kind === "leaf") return "fork-join";
  // "…, roll back if they fail": the text asks for compensation.
  if (outline.undo.length > 0) return "saga";
  const lower = outline.text.toLowerCase();
  const aggregate = AGGREGATION.test(lower);
  const parallel = PARALLEL.test(lower) || (!outline.ordered && EACH.test(lower));
  if (!outline.explicitOrder && parallel) return aggregate ? "mapreduce" : "fork-join";
  const transactional = outline.children.some((c) => {
    const step = c.text.toLowerCase();
    return TRANSACTIONAL_VERB.test(step) || TRANSACTIONAL_NOUN.test(step);
  });
  if (transactional) return "saga";
  if (outline.ordered) return "pipeline";
  return aggregate ? "mapreduce" : "fork-join";
}

/**
 * Fits the preferred pattern to the registered ones, deterministically: ordered work falls back
 * pipeline → saga → fork-join (chained with `dependsOn`); unordered work fork-join → mapreduce →
 * scatter-gather → saga. `null` when nothing suitable is registered (the node stays a leaf).
 *
 * @param preferred - the rules' choice
 * @param registered - registered pattern names, or `null` when unknown (anything goes)
 * @param forced - the caller's pattern for every composite node
 * @internal
 */
export function resolvePattern(
  preferred: HeuristicPattern,
  registered: ReadonlySet<string> | null,
  forced: string | undefined,
): PatternChoice | null {
  const ordered = preferred === "pipeline" || preferred === "saga";
  if (forced !== undefined) {
    return { pattern: forced, chain: ordered && forced === "fork-join", compensate: forced === "saga" };
  }
  const chain = (ordered ? ORDERED_FALLBACKS : UNORDERED_FALLBACKS)[preferred]!;
  for (const pattern of chain) {
    if (registered === null || registered.has(pattern)) {
      return { pattern, chain: ordered && pattern === "fork-join", compensate: pattern === "saga" };
    }
  }
  return null;
}

/**
 * Pattern for a composite node of a caller's TaskSpec that names none: saga when a child
 * declares a compensation, else fork-join (which honours `dependsOn`), fitted to the registered
 * patterns; the preferred name when nothing fits (validation then reports it).
 *
 * @internal
 */
export function patternForSpec(
  spec: TaskSpec,
  registered: ReadonlySet<string> | null,
  forced?: string,
): string {
  const preferred: HeuristicPattern = (spec.children ?? []).some((c) => c.compensate !== undefined)
    ? "saga"
    : "fork-join";
  return resolvePattern(preferred, registered, forced)?.pattern ?? preferred;
}
