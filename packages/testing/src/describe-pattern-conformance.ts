import type { EchelonPlugin } from "@echelon/core/plugin";
import { describe, it } from "vitest";
import { PATTERN_CONFORMANCE_CHECKS, type PatternConformanceOptions } from "./conformance-checks.js";
import { loadPattern } from "./load-pattern.js";
import { PATTERN_ORCHESTRATION_CHECKS } from "./orchestration-checks.js";

/**
 * Declares a vitest suite with the contract every coordination pattern must meet: a
 * well-formed plugin; a JSON-serialisable result of the right shape; task and pattern events;
 * coded errors when agents fail or return non-serialisable output; abort reaching every
 * running agent, no agent work after abort, returning even when agents ignore abort. Runs the
 * pattern through core's `runPatternOnSlices` (the `PatternExecutor` engine) and, unless
 * `orchestration: false`, inside a real `HierarchicalOrchestrator`, with this package's test agents.
 *
 * @param plugin - the pattern plugin, or a factory making a fresh one per check
 * @param options - slices, pattern options (happy path and failure), agent count
 * @example
 * ```ts
 * import { describePatternConformance } from "@echelon/testing";
 * describePatternConformance(() => hedgedPattern({ hedgeAfterMs: 5 }));
 * ```
 */
export function describePatternConformance(
  plugin: EchelonPlugin | (() => EchelonPlugin),
  options: PatternConformanceOptions = {},
): void {
  const make = typeof plugin === "function" ? plugin : () => plugin;
  const withOrchestration = options.orchestration !== false;
  const title = `pattern conformance: ${make().name}${options.pattern ? ` (${options.pattern})` : ""}${
    withOrchestration ? "" : " [orchestration checks off]"
  }`;
  const checks = withOrchestration
    ? [...PATTERN_CONFORMANCE_CHECKS, ...PATTERN_ORCHESTRATION_CHECKS]
    : PATTERN_CONFORMANCE_CHECKS;
  describe(title, () => {
    for (const check of checks) {
      it(check.name, async () => {
        const instance = make();
        await check.run({ plugin: instance, pattern: loadPattern(instance, options.pattern), options });
      });
    }
  });
}
