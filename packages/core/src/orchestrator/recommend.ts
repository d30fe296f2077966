import type { Pattern, PatternChild } from "../patterns/pattern.js";
import { hookFailed, type Registered } from "../plugins/registrations.js";

/**
 * Picks the best-fitting pattern for some children, deterministically, by asking each pattern
 * plugin's own `recommend(children, { agentCount })`. Scores are clamped to 0..1 (non-numbers
 * count as 0); patterns without `recommend` are never chosen unless no pattern scores above 0,
 * in which case the first registered pattern is. Ties go to the pattern registered first.
 *
 * @param patterns - candidate patterns in registration order
 * @param children - the children
 * @param agentCount - agents available to run them
 * @returns the chosen pattern's name, or `undefined` when no pattern is registered
 * @throws EchelonError `ECHELON_PLUGIN_HOOK_FAILED` when a plugin's `recommend` throws
 */
export function recommendPattern(
  patterns: Iterable<Registered<Pattern>>,
  children: readonly PatternChild[],
  agentCount: number,
): string | undefined {
  let best: { name: string; score: number } | undefined;
  for (const { value: pattern, plugin } of patterns) {
    let raw: unknown = 0;
    if (pattern.recommend !== undefined) {
      try {
        raw = pattern.recommend(children, { agentCount });
      } catch (error) {
        throw hookFailed(plugin, "recommend", error, { pattern: pattern.name });
      }
    }
    const score = typeof raw === "number" && Number.isFinite(raw) ? Math.min(1, Math.max(0, raw)) : 0;
    if (best === undefined || score > best.score) best = { name: pattern.name, score };
  }
  return best?.name;
}
