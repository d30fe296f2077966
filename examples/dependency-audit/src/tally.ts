import type { GatherStrategy } from "echelon";
import type { AnalyserVerdict, ReviewTally } from "./facts.js";

/**
 * Counts the analysers' votes: a package flagged by at least `minVotes` analysers is worth a
 * human look.
 *
 * @param verdicts - one verdict per analyser that answered
 * @param minVotes - votes needed
 * @returns the tally
 */
export function tallyVotes(verdicts: readonly AnalyserVerdict[], minVotes: number): ReviewTally {
  const votes = new Map<string, string[]>();
  const flaggedByAnalyser: Record<string, number> = {};
  for (const v of verdicts) {
    flaggedByAnalyser[v.analyser] = v.flagged.length;
    for (const f of v.flagged)
      votes.set(f.name, [...(votes.get(f.name) ?? []), `${v.analyser}: ${f.reason}`]);
  }
  const rows = [...votes]
    .map(([name, reasons]) => ({ name, votes: reasons.length, reasons }))
    .sort((a, b) => b.votes - a.votes || (a.name < b.name ? -1 : 1));
  return {
    worthALook: rows.filter((r) => r.votes >= minVotes),
    singleVotes: rows.filter((r) => r.votes < minVotes),
    flaggedByAnalyser,
    minVotes,
  };
}

/**
 * Gather strategy `tally`: waits for every analyser (a failed one simply casts no vote), then
 * tallies; `patternOptions.minVotes` (default 2) sets the threshold.
 */
export const tallyGather: GatherStrategy = (state) => {
  if (!state.final) return undefined;
  const minVotes = typeof state.options.minVotes === "number" ? state.options.minVotes : 2;
  const verdicts = state.answers.map((a) => a.output as AnalyserVerdict);
  return {
    value: tallyVotes(verdicts, minVotes),
    status: state.failures.length > 0 ? "partial" : "completed",
    details: { analysers: verdicts.length, failed: state.failures.map((f) => f.respondent) },
  };
};
