import { definePlugin, type EchelonPlugin } from "@echelon/core/plugin";
import { createForkJoinPattern, type ForkJoinPattern } from "./fork-join-pattern.js";
import type { ForkJoinOptions } from "./options.js";
import { VERSION } from "./version.js";

/** The fork-join plugin: an {@link EchelonPlugin} that also exposes its pattern object. */
export interface ForkJoinPlugin extends EchelonPlugin {
  /** The pattern it registers (carries `registerJoinStrategy`). */
  readonly pattern: ForkJoinPattern;
}

/**
 * The fork-join pattern as a plugin: registers a pattern named `fork-join`.
 *
 * @param options - default options for every fork-join node (overridden by `patternOptions`)
 * @returns the plugin, with `plugin.pattern` for registering join strategies
 * @throws EchelonError `ECHELON_FORK_JOIN_INVALID_OPTIONS` for bad defaults
 * @example
 * ```ts
 * const forkJoin = forkJoinPattern({ maxParallel: 8 });
 * forkJoin.pattern.registerJoinStrategy("sum", (outcomes) => ({
 *   result: outcomes.reduce((n, o) => n + Number(o.output ?? 0), 0),
 * }));
 * const orchestrator = new HierarchicalOrchestrator({ plugins: [forkJoin] });
 * ```
 */
export function forkJoinPattern(options: ForkJoinOptions = {}): ForkJoinPlugin {
  const pattern = createForkJoinPattern(options);
  const plugin = definePlugin({
    name: "@echelon/patterns-fork-join",
    version: VERSION,
    register(ctx) {
      ctx.registerPattern(pattern);
    },
  });
  return { ...plugin, pattern };
}
